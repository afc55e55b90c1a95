package dev.llmproxy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Runs the built WAR in embedded Jetty 12 (ee10), the way a production container would, with the
 * connector and thread-pool settings documented in bench/README.md:
 * <ul>
 *   <li>a bounded thread pool (8..{@code maxThreads}, default 32): the data path never parks a thread per
 *       request or stream, so a small pool is enough, and a fixed cap proves it;</li>
 *   <li>one acceptor, one selector per core;</li>
 *   <li>an accept queue of 4096 so a burst of thousands of stream opens is not dropped;</li>
 *   <li>no {@code Server}/{@code X-Powered-By} headers, 32 KiB output buffer (Jetty's default).</li>
 * </ul>
 * The config directory comes from {@code -Dllmproxy.config.dir}, as in any container.
 * Usage: {@code GatewayServer <port> <war>}.
 */
public final class GatewayServer {
  private GatewayServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path war = Path.of(args[1]);
    if (!Files.isRegularFile(war)) {
      throw new IllegalArgumentException("no WAR at " + war + " (build it with mvn package)");
    }
    int maxThreads = Integer.getInteger("bench.gateway.maxThreads", 32);
    QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
    pool.setName("gateway");
    Server server = new Server(pool);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setOutputBufferSize(Integer.getInteger("bench.gateway.outputBufferSize", 32 * 1024));
    http.setOutputAggregationSize(Integer.getInteger("bench.gateway.outputAggregationSize", 8 * 1024));
    int selectors = Integer.getInteger("bench.gateway.selectors", Runtime.getRuntime().availableProcessors());
    ServerConnector connector = new ServerConnector(server, 1, selectors, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setAcceptQueueSize(4096);
    connector.setIdleTimeout(120_000);
    server.addConnector(connector);

    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    webapp.setWar(war.toAbsolutePath().toString());
    webapp.setTempDirectory(Files.createTempDirectory("llm-proxy-bench-webapp").toFile());
    // Skip scanning for annotations and TLDs: web.xml is metadata-complete and the listener registers everything.
    webapp.setAttribute("org.eclipse.jetty.server.webapp.ContainerIncludeJarPattern", "^$");
    webapp.setAttribute("org.eclipse.jetty.server.webapp.WebInfIncludeJarPattern", "^$");
    server.setHandler(webapp);
    server.start();
    if (!webapp.isAvailable()) {
      throw new IllegalStateException("the webapp failed to start", webapp.getUnavailableException());
    }
    System.out.println("gateway listening on 127.0.0.1:" + connector.getLocalPort());
    server.join();
  }
}
