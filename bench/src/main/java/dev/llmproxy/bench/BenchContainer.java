package dev.llmproxy.bench;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The embedded Jetty 12 server the gateway runs in, with the connector and thread-pool settings
 * documented in bench/README.md; {@link ContainerFloor} runs in an identical one, so the two differ
 * only in what the servlet does.
 * <ul>
 *   <li>a bounded thread pool (8..{@code bench.gateway.maxThreads}, default 32): the data path never parks
 *       a thread per request or stream, so a small pool is enough, and a fixed cap proves it;</li>
 *   <li>one acceptor, one selector per core;</li>
 *   <li>an accept queue of 4096 so a burst of thousands of stream opens is not dropped;</li>
 *   <li>no {@code Server}/{@code X-Powered-By} headers, 32 KiB output buffer (Jetty's default).</li>
 * </ul>
 */
final class BenchContainer {
  private BenchContainer() {}

  /** A server with the gateway's settings listening on 127.0.0.1:{@code port}; the caller sets its handler. */
  static Server create(int port, String threadNames) {
    int maxThreads = Integer.getInteger("bench.gateway.maxThreads", 32);
    QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
    pool.setName(threadNames);
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
    return server;
  }
}
