package dev.llmproxy.testing;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The real gateway webapp in embedded Jetty 12 (ee10), on {@code 127.0.0.1} and a free port, for integration tests.
 *
 * <p>On start it writes the test's YAML to {@code config.yaml} in a fresh temporary directory and hands that
 * directory to the webapp as the context init-parameter {@value #CONFIG_DIR_PARAMETER}, never as a JVM system
 * property, so several gateways can run in one JVM. The webapp comes from {@link GatewayArtifact#locate()} and loads
 * its own jars first. Server threads come from a pool named {@code gateway}, which {@link #busyThreads()} reports on.
 *
 * <p>Use it as a JUnit extension, after the {@link FakeUpstream} its config points at:
 *
 * <pre>{@code
 * @RegisterExtension @Order(1) static final FakeUpstream upstream = new FakeUpstream();
 * @RegisterExtension @Order(2) static final GatewayServer gateway =
 *     GatewayServer.builder().config(() -> """
 *         openai-compatibility:
 *           - name: fake
 *             base-url: %s
 *         """.formatted(upstream.baseUrl())).build();
 * }</pre>
 *
 * A static field starts once per class, an instance field around each test; or call {@link #start()} and {@link
 * #close()} yourself. Once started the configuration can only change through {@link #writeConfig(String)}.
 * Thread-safe.
 */
public final class GatewayServer
    implements AutoCloseable, ScopedExtension {

  /** The servlet context init-parameter that names the gateway's config directory. */
  public static final String CONFIG_DIR_PARAMETER = "llmproxy.config.dir";

  /** The name of the config file inside {@link #configDir()}. */
  public static final String CONFIG_FILE = "config.yaml";

  private final String contextPath;
  private final Supplier<String> config;
  private final GatewayArtifact chosenArtifact;
  private final Map<String, String> initParameters;
  private final int maxThreads;
  private final Duration idleTimeout;
  private final boolean http2c;
  private final Path ownConfigDir;
  private final Map<Class<? extends Filter>, String> filters;
  private final ExtensionScope scope = new ExtensionScope(this::start, () -> {}, this::close);
  private Server server;
  private QueuedThreadPool threads;
  private TempDirectory configDir;
  private int port;

  private GatewayServer(Builder builder) {
    this.contextPath = builder.contextPath;
    this.config = builder.config;
    this.chosenArtifact = builder.artifact;
    this.initParameters = Map.copyOf(builder.initParameters);
    this.maxThreads = builder.maxThreads;
    this.idleTimeout = builder.idleTimeout;
    this.http2c = builder.http2c;
    this.ownConfigDir = builder.ownConfigDir;
    this.filters = Map.copyOf(builder.filters);
  }

  /** A builder with context path {@code /}, no config file, the artifact located at start and 200 threads. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes the config and starts Jetty; does nothing if already running. Returns {@code this}.
   *
   * @throws IllegalStateException when the webapp fails to deploy, with the webapp's own exception as the cause
   */
  public synchronized GatewayServer start() {
    if (server != null) {
      return this;
    }
    GatewayArtifact artifact = chosenArtifact == null ? GatewayArtifact.locate() : chosenArtifact;
    configDir = ownConfigDir != null ? TempDirectory.borrowed(ownConfigDir) : TempDirectory.create("llm-proxy-config-");
    String yaml = config == null ? null : config.get();
    if (yaml != null) {
      configDir.writeAtomically(CONFIG_FILE, yaml);
    }
    threads = new QueuedThreadPool(maxThreads);
    threads.setName("gateway");
    Server newServer = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    ServerConnector connector = http2c
        ? new ServerConnector(newServer, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http))
        : new ServerConnector(newServer);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    if (idleTimeout != null) {
      connector.setIdleTimeout(idleTimeout.toMillis());
    }
    newServer.addConnector(connector);
    newServer.setHandler(newWebApp(artifact));
    try {
      newServer.start();
    } catch (Exception e) {
      stopQuietly(newServer);
      configDir.close();
      throw new IllegalStateException("gateway webapp did not start from " + artifact, e);
    }
    server = newServer;
    port = connector.getLocalPort();
    return this;
  }

  private WebAppContext newWebApp(GatewayArtifact artifact) {
    WebAppContext webApp = new WebAppContext();
    webApp.setContextPath(contextPath);
    artifact.configure(webApp);
    // Parent-last (Jetty's default, stated for the reader): the WAR's own jars win over the test class path.
    webApp.setParentLoaderPriority(false);
    webApp.setThrowUnavailableOnStartupException(true);
    initParameters.forEach(webApp::setInitParameter);
    webApp.setInitParameter(CONFIG_DIR_PARAMETER, configDir.path().toString());
    filters.forEach((filter, pathSpec) -> webApp.addFilter(filter, pathSpec, EnumSet.of(DispatcherType.REQUEST)));
    return webApp;
  }

  /** {@code http://127.0.0.1:PORT} plus the context path, without a trailing slash. */
  public String baseUrl() {
    String path = "/".equals(contextPath) ? "" : contextPath;
    return "http://127.0.0.1:" + port() + path;
  }

  /** {@link #baseUrl()} plus {@code path}, for example {@code uri("/v1/models")}. */
  public URI uri(String path) {
    return URI.create(baseUrl() + path);
  }

  /** The port Jetty listens on. */
  public synchronized int port() {
    requireStarted();
    return port;
  }

  /** The directory holding {@code config.yaml}; unless the test gave it, it is deleted on close. */
  public synchronized Path configDir() {
    requireStarted();
    return configDir.path();
  }

  /**
   * Replaces {@code config.yaml} atomically (write, then rename), for tests of reload. The gateway sees either the
   * old or the new file, never half of one.
   */
  public synchronized void writeConfig(String yaml) {
    requireStarted();
    configDir.writeAtomically(CONFIG_FILE, yaml);
  }

  /** Threads in the {@code gateway} pool, idle or not. */
  public synchronized int threadCount() {
    requireStarted();
    return threads.getThreads();
  }

  /** Threads of the {@code gateway} pool running a task right now, including Jetty's selectors and acceptors. */
  public synchronized int busyThreads() {
    requireStarted();
    return threads.getBusyThreads();
  }

  /** Stops Jetty (undeploying the webapp) and deletes the config directory. Safe to call twice. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("gateway did not stop cleanly", e);
    } finally {
      server = null;
      configDir.close();
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private void requireStarted() {
    if (server == null) {
      throw new IllegalStateException("GatewayServer is not started; call start() or register it as an extension");
    }
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception ignored) {
      // Already failing; the start exception is the one worth reporting.
    }
  }

  /** Lifecycle for {@code @RegisterExtension} (see {@link ExtensionScope}). */
  @Override
  public ExtensionScope scope() {
    return scope;
  }

  /** Collects the settings of a {@link GatewayServer}. Not thread-safe; use it from one thread, then build. */
  public static final class Builder {
    private String contextPath = "/";
    private Supplier<String> config;
    private GatewayArtifact artifact;
    private final Map<String, String> initParameters = new LinkedHashMap<>();
    private int maxThreads = 200;
    private Duration idleTimeout;
    private boolean http2c;
    private Path ownConfigDir;
    private final Map<Class<? extends Filter>, String> filters = new LinkedHashMap<>();

    private Builder() {}

    /**
     * A filter in front of the webapp on {@code pathSpec}, as an operator declares one in web.xml (an SSO
     * filter, say): it runs before the gateway's own filters. The class comes from the test class path
     * and may use only the Servlet API, which the webapp shares.
     */
    public Builder filter(Class<? extends Filter> filter, String pathSpec) {
      filters.put(Objects.requireNonNull(filter, "filter"), Objects.requireNonNull(pathSpec, "pathSpec"));
      return this;
    }

    /**
     * Serves the config in {@code dir}, which the test prepares before start and may inspect after stop
     * ({@code config.yaml.bak}, leftover temp files); it is never deleted. Without it a fresh temporary
     * directory is made and deleted on stop.
     */
    public Builder configDirectory(Path dir) {
      this.ownConfigDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** The context path, {@code /} by default; otherwise it starts with {@code /} and has no trailing slash. */
    public Builder contextPath(String path) {
      if (!path.equals("/") && (!path.startsWith("/") || path.endsWith("/"))) {
        throw new IllegalArgumentException("context path must be '/' or '/name' without trailing slash: " + path);
      }
      this.contextPath = path;
      return this;
    }

    /** The connector's idle timeout (Jetty's default, 30 s, otherwise): how long a silent connection lives. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Also accepts HTTP/2 without TLS (h2c, prior knowledge), as behind a load balancer that speaks it. */
    public Builder http2c() {
      this.http2c = true;
      return this;
    }

    /** The {@code config.yaml} text. Without one the directory stays empty. */
    public Builder config(String yaml) {
      Objects.requireNonNull(yaml, "yaml");
      return config(() -> yaml);
    }

    /** Produces the {@code config.yaml} text at start time, after the fake upstreams know their ports. */
    public Builder config(Supplier<String> yaml) {
      this.config = Objects.requireNonNull(yaml, "yaml");
      return this;
    }

    /** Deploys this artifact instead of {@link GatewayArtifact#locate()}'s choice. */
    public Builder artifact(GatewayArtifact artifact) {
      this.artifact = Objects.requireNonNull(artifact, "artifact");
      return this;
    }

    /** Another servlet context init-parameter, for tests of the webapp's own settings. */
    public Builder initParameter(String name, String value) {
      if (CONFIG_DIR_PARAMETER.equals(name)) {
        throw new IllegalArgumentException(name + " is set by GatewayServer itself");
      }
      initParameters.put(name, value);
      return this;
    }

    /** The size of the {@code gateway} thread pool, 200 by default. */
    public Builder maxThreads(int maxThreads) {
      this.maxThreads = maxThreads;
      return this;
    }

    /** Builds the server; nothing is located, written or started until {@link GatewayServer#start()}. */
    public GatewayServer build() {
      return new GatewayServer(this);
    }
  }
}
