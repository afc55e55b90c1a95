package dev.llmproxy.bootstrap;

import dev.llmproxy.buffers.LargeBufferBudget;
import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import dev.llmproxy.api.ModelsResource;
import dev.llmproxy.api.ResourceInstances;
import dev.llmproxy.auth.ApiKeyFilter;
import dev.llmproxy.auth.CorsFilter;
import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.config.StateConfig;
import dev.llmproxy.dialect.TokenCounter;
import dev.llmproxy.error.GatewayExceptionMapper;
import dev.llmproxy.error.UnexpectedExceptionMapper;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.limits.ClientLimits;
import dev.llmproxy.management.ConfigStore;
import dev.llmproxy.management.ManagementApi;
import dev.llmproxy.management.SecretKeyHasher;
import dev.llmproxy.relay.ApiRelayServlet;
import dev.llmproxy.relay.CountedRefusals;
import dev.llmproxy.relay.Endpoints;
import dev.llmproxy.relay.GeminiV1Filter;
import dev.llmproxy.relay.RelayServices;
import dev.llmproxy.routing.RoutingState;
import dev.llmproxy.routing.SnapshotHolder;
import dev.llmproxy.state.SharedState;
import dev.llmproxy.upstream.ModelDiscovery;
import dev.llmproxy.upstream.UpstreamClients;
import dev.llmproxy.usage.UsageReports;
import dev.llmproxy.webadmin.AdminPageFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every long-lived object once, passes collaborators through
 * constructors, and registers the servlets and filters. Servlets are registered here rather than in
 * web.xml because they take their collaborators as constructor arguments (no DI container, no
 * services hidden in context attributes). {@link #contextDestroyed} stops every thread it started.
 */
public final class GatewayContextListener implements ServletContextListener {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayContextListener.class);

  private UpstreamClients upstreamClients;
  private ScheduledExecutorService scheduler;
  private final List<Thread> schedulerThreads = new CopyOnWriteArrayList<>();
  private ConfigWatcher watcher;
  private ModelDiscovery discovery;
  private Thread tokenizerWarmUp;
  private Observability observability;
  private SharedState sharedState;
  private ClientLimits clientLimits;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    Clock clock = Clock.systemUTC();
    SnapshotHolder snapshots = new SnapshotHolder();
    scheduler = newScheduler();
    upstreamClients = new UpstreamClients(scheduler);
    discovery = new ModelDiscovery(upstreamClients, scheduler, snapshots, clock);

    ConfigDirectoryLocator.Located located = new ConfigDirectoryLocator(System::getProperty, System::getenv,
        context::getInitParameter).locate();
    ConfigReloader reloader = null;
    ConfigStore configStore = null;
    if (located.directory() == null) {
      // Unlike a missing config.yaml in a directory that exists (watched, applied when it appears), a directory
      // made later is not seen: say what it takes.
      String problem = "no config directory found; looked at: " + String.join("; ", located.lookedAt())
          + ". Create one with a config.yaml, then redeploy or restart (a directory created later is not watched)";
      LOG.error(problem);
      snapshots.failed(problem);
    } else {
      Path file = located.directory().resolve("config.yaml");
      ConfigLoader loader = ConfigLoader.withSystemEnvironment();
      reloader = new ConfigReloader(file, loader, snapshots, clock, discovery::current);
      reloader.addInstallListener(discovery::configure);
      reloader.addInstallListener(upstreamClients::retainFor);
      if (!reloader.reload()) {
        LOG.error("The gateway answers 503 until {} is fixed (looked at: {})", file, String.join("; ", located.lookedAt()));
      }
      sharedState = openSharedState(snapshots, reloader, clock);
      configStore = new ConfigStore(file, loader, reloader, sharedState.configWrites());
      sharedState.adoptConfigWith(configStore::adopt);
      ManagementSaveCheck saveCheck = new ManagementSaveCheck(configStore::writeProblem);
      if (snapshots.current() != null) {
        saveCheck.accept(snapshots.current().config());
      }
      reloader.addInstallListener(saveCheck);
      keepManagementSecretHashed(snapshots, reloader, configStore);
      startWatcher(reloader);
    }
    if (sharedState == null) {
      sharedState = SharedState.open(StateConfig.DEFAULT, clock, scheduler);
    }
    RoutingState routingState = new RoutingState(sharedState.cooldowns(), sharedState.openElsewhere(), clock);
    sharedState.shareOpenRequests(routingState.openRequests()::openByClient);
    sharedState.shareSessions(routingState.sessions());

    // Loading the o200k tokenizer takes a second or two: done now, not by the first count_tokens request.
    tokenizerWarmUp = new Thread(() -> TokenCounter.count("warm up"), "llm-proxy-tokenizer-warm-up");
    tokenizerWarmUp.setDaemon(true);
    tokenizerWarmUp.start();

    observability = new Observability(snapshots.current() == null ? null : snapshots.current().config(),
        DataDirectoryLocator.locate(System::getProperty, System::getenv, context::getInitParameter,
            located.directory()), context.getContextPath(), routingState.cooldowns(), sharedState.usageCounters());
    if (reloader != null) {
      reloader.addInstallListener(observability::onReload);
    }
    observability.metrics().watchOpenRequests(routingState.openRequests()::open,
        () -> snapshots.current() == null ? 0 : snapshots.current().config().maxOpenRequests(),
        routingState.openRequests()::refused);
    clientLimits = ClientLimits.open(sharedState.counters(), sharedState.config().store() == StateConfig.Store.REDIS,
        observability.store(), snapshots, scheduler, clock);
    LargeBufferBudget largeBuffers = LargeBufferBudget.forHeap();
    observability.metrics().watchLargeBuffers(largeBuffers::reserved, largeBuffers::capacity);
    observability.metrics().watchUpstreamConnections(() -> upstreamClients.connections().leased(),
        () -> upstreamClients.connections().idle(), () -> upstreamClients.connections().pending());
    RelayServices relayServices = new RelayServices(snapshots, upstreamClients, routingState, scheduler,
        observability.recorder(), observability.metrics().relay(), clientLimits, largeBuffers);
    register(context, snapshots, relayServices);
    ManagementApi.register(context, snapshots, configStore, routingState, new ManagementApi.Usage(
        observability.counters(), new UsageReports(observability.writer(), observability.store()), clientLimits),
        sharedState.loginFailures(), observability.metrics()::scrape, clock);
    LOG.info(routesSummary(context.getContextPath(), Endpoints.standard(),
        snapshots.current() != null && snapshots.current().config().remoteManagement().enabled()));
  }

  private void register(ServletContext context, SnapshotHolder snapshots, RelayServices relayServices) {
    Endpoints endpoints = Endpoints.standard();
    // Registered before the key filter, so browser apps of allowed origins can read its 401s too.
    FilterRegistration.Dynamic cors = context.addFilter("cors", new CorsFilter(snapshots, endpoints));
    cors.setAsyncSupported(true);
    cors.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/*", "/v1beta/*");

    FilterRegistration.Dynamic auth = context.addFilter("api-key", new ApiKeyFilter(snapshots,
        new CountedRefusals(endpoints, relayServices.metrics())));
    auth.setAsyncSupported(true);
    // isMatchAfter=true: filters of the deployment descriptor (an operator's SSO filter) run first, so the
    // principal they establish is visible here.
    auth.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/*", "/v1beta/*");

    FilterRegistration.Dynamic geminiV1 = context.addFilter("gemini-v1", new GeminiV1Filter());
    geminiV1.setAsyncSupported(true);
    geminiV1.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/models/*");

    ServletRegistration.Dynamic relay = context.addServlet("relay", new ApiRelayServlet(relayServices, endpoints));
    relay.setAsyncSupported(true);
    relay.setLoadOnStartup(1);
    relay.addMapping("/v1/*", "/v1beta/*");

    ServletRegistration.Dynamic models = context.addServlet("models", new ServletContainer(
        ResourceInstances.register(jsonApplication(), new ModelsResource(snapshots))));
    models.setAsyncSupported(true);
    models.setLoadOnStartup(1);
    models.addMapping("/v1/models/*");

    ServletRegistration.Dynamic health = context.addServlet("health", new HealthServlet(snapshots, sharedState::status,
        observability::usageState));
    health.addMapping("/healthz");

    // The admin page is static files served by the container's default servlet; this only adds headers.
    FilterRegistration.Dynamic adminPage = context.addFilter("admin-page", new AdminPageFilter());
    adminPage.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD), false,
        AdminPageFilter.MAPPING);
  }

  /**
   * The store of shared state the running config names; it stays for the life of the deployment (requests hold on to
   * it), so a reload that changes {@code state} is reported, not applied.
   */
  private SharedState openSharedState(SnapshotHolder snapshots, ConfigReloader reloader, Clock clock) {
    StateConfig state = snapshots.current() == null ? StateConfig.DEFAULT : snapshots.current().config().state();
    if (snapshots.current() == null) {
      LOG.warn("No valid config at startup: shared state stays in this instance's memory until the next start");
    }
    reloader.addInstallListener(config -> warnIfStateChanged(state, config));
    return SharedState.open(state, clock, scheduler);
  }

  private static void warnIfStateChanged(StateConfig running, GatewayConfig config) {
    if (!config.state().equals(running)) {
      LOG.warn("state settings changed; they apply when the gateway restarts (running with state.store: {}{})",
          running.store().name().toLowerCase(java.util.Locale.ROOT),
          running.redis() == null ? "" : " at " + running.redis());
    }
  }

  /** The URLs this deployment serves, with the context path the container gave it. */
  static String routesSummary(String contextPath, Endpoints endpoints, boolean managementEnabled) {
    String base = contextPath == null ? "" : contextPath;
    StringBuilder sb = new StringBuilder("llm-proxy started at context path '").append(base.isEmpty() ? "/" : base)
        .append("'; serving:");
    for (String path : endpoints.postPaths()) {
      sb.append("\n  POST ").append(base).append(path);
    }
    sb.append("\n  GET  ").append(base).append("/v1/models");
    sb.append("\n  GET  ").append(base).append("/v1beta/models");
    sb.append("\n  GET  ").append(base).append("/healthz");
    sb.append("\n  *    ").append(base).append(ManagementApi.MAPPING)
        .append(managementEnabled ? " (management API)" : " (management API; off, 404, until remote-management "
            + "has a secret-key)");
    sb.append("\n  GET  ").append(base).append(ManagementApi.METRICS);
    sb.append("\n  GET  ").append(base).append("/admin/");
    return sb.toString();
  }

  /** Hashes a plaintext management secret now, and again whenever a reload brings one in. */
  private void keepManagementSecretHashed(SnapshotHolder snapshots, ConfigReloader reloader, ConfigStore store) {
    SecretKeyHasher hasher = new SecretKeyHasher(store);
    if (snapshots.current() != null && SecretKeyHasher.mayNeedHashing(snapshots.current().config())) {
      hasher.hashPlaintextSecret();
    }
    reloader.addInstallListener(config -> {
      if (SecretKeyHasher.mayNeedHashing(config)) {
        scheduler.execute(hasher::hashPlaintextSecret);
      }
    });
  }

  /** A Jersey application with the JSON provider and the error mappers every JSON API shares. */
  static ResourceConfig jsonApplication() {
    return new ResourceConfig()
        .register(new JacksonJsonProvider(WebappJson.newMapper()))
        .register(GatewayExceptionMapper.class)
        .register(UnexpectedExceptionMapper.class)
        .property("jersey.config.server.wadl.disableWadl", true);
  }

  private void startWatcher(ConfigReloader reloader) {
    try {
      watcher = new ConfigWatcher(reloader, scheduler);
      watcher.start();
    } catch (IOException e) {
      LOG.warn("Cannot watch {} for changes; hot reload is off: {}", reloader.file(), e.toString());
    }
  }

  private ScheduledExecutorService newScheduler() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "llm-proxy-scheduler");
      t.setDaemon(true);
      schedulerThreads.add(t);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /**
   * Stops everything {@link #contextInitialized} started, and waits for it: the container's leak
   * detector (Tomcat checks right after this returns) must find no thread of ours still running.
   */
  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (tokenizerWarmUp != null) {
      try {
        tokenizerWarmUp.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (watcher != null) {
      watcher.close();
    }
    if (discovery != null) {
      discovery.close();
    }
    if (upstreamClients != null) {
      upstreamClients.close();
    }
    if (clientLimits != null) {
      // Before the usage store closes: a month may be being seeded from it.
      clientLimits.close();
    }
    if (observability != null) {
      // After the data plane stopped (no more records), before the scheduler: writes what is queued.
      observability.close();
    }
    if (sharedState != null) {
      sharedState.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
          LOG.warn("llm-proxy-scheduler did not stop within 5 s");
        }
        // Termination is reported while the worker thread is still unwinding, which Tomcat's check after
        // undeploy then calls a thread the webapp failed to stop.
        for (Thread t : schedulerThreads) {
          t.join(1_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    JdbcDriverDeregistration.run();
    LOG.info("llm-proxy stopped at context path '{}'", event.getServletContext().getContextPath());
    RecordMethodsCacheReset.run();
  }
}
