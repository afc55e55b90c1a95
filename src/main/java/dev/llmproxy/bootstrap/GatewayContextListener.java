package dev.llmproxy.bootstrap;

import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import dev.llmproxy.api.ModelsResource;
import dev.llmproxy.api.ResourceInstances;
import dev.llmproxy.auth.ApiKeyFilter;
import dev.llmproxy.auth.CorsFilter;
import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.error.GatewayExceptionMapper;
import dev.llmproxy.error.UnexpectedExceptionMapper;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.management.ConfigStore;
import dev.llmproxy.management.ManagementApi;
import dev.llmproxy.management.SecretKeyHasher;
import dev.llmproxy.relay.ApiRelayServlet;
import dev.llmproxy.relay.Endpoint;
import dev.llmproxy.relay.RelayServices;
import dev.llmproxy.routing.RoutingState;
import dev.llmproxy.routing.SnapshotHolder;
import dev.llmproxy.upstream.ModelDiscovery;
import dev.llmproxy.upstream.UpstreamClients;
import dev.llmproxy.usage.UsageLedger;
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
  private ConfigWatcher watcher;
  private ModelDiscovery discovery;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    Clock clock = Clock.systemUTC();
    SnapshotHolder snapshots = new SnapshotHolder();
    scheduler = newScheduler();
    upstreamClients = new UpstreamClients(scheduler);
    RoutingState routingState = new RoutingState(clock);
    discovery = new ModelDiscovery(upstreamClients, scheduler, snapshots, clock);

    ConfigDirectoryLocator.Located located = new ConfigDirectoryLocator(System::getProperty, System::getenv,
        context::getInitParameter).locate();
    ConfigReloader reloader = null;
    ConfigStore configStore = null;
    if (located.directory() == null) {
      String problem = "no config directory found; looked at: " + String.join("; ", located.lookedAt());
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
      configStore = new ConfigStore(file, loader, reloader);
      ManagementSaveCheck saveCheck = new ManagementSaveCheck(configStore::writeProblem);
      if (snapshots.current() != null) {
        saveCheck.accept(snapshots.current().config());
      }
      reloader.addInstallListener(saveCheck);
      keepManagementSecretHashed(snapshots, reloader, configStore);
      startWatcher(reloader);
    }

    UsageLedger usage = new UsageLedger(clock);
    RelayServices relayServices = new RelayServices(snapshots, upstreamClients, routingState, scheduler, usage);
    register(context, snapshots, relayServices);
    ManagementApi.register(context, snapshots, configStore, routingState, usage, clock);
    LOG.info(routesSummary(context.getContextPath(),
        snapshots.current() != null && snapshots.current().config().remoteManagement().enabled()));
  }

  private void register(ServletContext context, SnapshotHolder snapshots, RelayServices relayServices) {
    // Registered before the key filter, so browser apps of allowed origins can read its 401s too.
    FilterRegistration.Dynamic cors = context.addFilter("cors", new CorsFilter(snapshots));
    cors.setAsyncSupported(true);
    cors.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/*");

    FilterRegistration.Dynamic auth = context.addFilter("api-key", new ApiKeyFilter(snapshots));
    auth.setAsyncSupported(true);
    // isMatchAfter=true: filters of the deployment descriptor (an operator's SSO filter) run first, so the
    // principal they establish is visible here.
    auth.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/*");

    ServletRegistration.Dynamic relay = context.addServlet("relay", new ApiRelayServlet(relayServices));
    relay.setAsyncSupported(true);
    relay.setLoadOnStartup(1);
    relay.addMapping("/v1/*");

    ServletRegistration.Dynamic models = context.addServlet("models", new ServletContainer(
        ResourceInstances.register(jsonApplication(), new ModelsResource(snapshots))));
    models.setAsyncSupported(true);
    models.setLoadOnStartup(1);
    models.addMapping("/v1/models/*");

    ServletRegistration.Dynamic health = context.addServlet("health", new HealthServlet(snapshots));
    health.addMapping("/healthz");
  }

  /** The URLs this deployment serves, with the context path the container gave it. */
  static String routesSummary(String contextPath, boolean managementEnabled) {
    String base = contextPath == null ? "" : contextPath;
    StringBuilder sb = new StringBuilder("llm-proxy started at context path '").append(base.isEmpty() ? "/" : base)
        .append("'; serving:");
    for (Endpoint endpoint : Endpoint.ALL) {
      sb.append("\n  POST ").append(base).append("/v1").append(endpoint.path());
    }
    sb.append("\n  GET  ").append(base).append("/v1/models");
    sb.append("\n  GET  ").append(base).append("/healthz");
    sb.append("\n  *    ").append(base).append(ManagementApi.MAPPING)
        .append(managementEnabled ? " (management API)" : " (management API; off, 404, until remote-management "
            + "has a secret-key)");
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

  private static ScheduledExecutorService newScheduler() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "llm-proxy-scheduler");
      t.setDaemon(true);
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
    if (watcher != null) {
      watcher.close();
    }
    if (discovery != null) {
      discovery.close();
    }
    if (upstreamClients != null) {
      upstreamClients.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
          LOG.warn("llm-proxy-scheduler did not stop within 5 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LOG.info("llm-proxy stopped at context path '{}'", event.getServletContext().getContextPath());
    RecordMethodsCacheReset.run();
  }
}
