package dev.llmproxy.it;

import dev.llmproxy.testing.Await;
import dev.llmproxy.testing.PrometheusScrape;
import java.time.Duration;

/**
 * The gateway's upstream connections as {@code llmproxy_upstream_connections} shows them, for tests about which
 * pooled connection a request gets. The gateway answers its client as the upstream's answer ends, and HttpClient
 * puts the connection back in the pool just after: a request sent at once may find it still leased and take another
 * one or open a fresh one. Stateless.
 */
final class UpstreamConnections {
  private UpstreamConnections() {}

  /**
   * Waits until no upstream connection is leased and at least one is idle, so the next request leases the one
   * released last (HttpClient's pool hands out the most recently released first).
   *
   * @param metricsReader a client whose key may read {@code /metrics} (the management key or the metrics token)
   */
  static void awaitAllBackInThePool(GatewayClient metricsReader) {
    Await.until(Duration.ofSeconds(5), () -> {
      PrometheusScrape scrape = new PrometheusScrape(metricsReader.get("/metrics").body());
      return scrape.sum("llmproxy_upstream_connections", "state", "leased") == 0
          && scrape.sum("llmproxy_upstream_connections", "state", "idle") >= 1;
    }, "every upstream connection idle in the pool again, at least one");
  }
}
