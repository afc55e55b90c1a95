package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.testing.Await;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.PrometheusScrape;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SelfSignedCertificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An https provider that offers HTTP/2 by ALPN, reached with the default {@code upstream.http2: negotiate}: the pooled
 * client shares one HTTP/2 connection between streams once an exchange on it has ended. A client that leaves ends
 * its own stream there (reset at the stream's next bytes), and only its own. Before, that stream ran to its end for
 * nobody: HttpClient 5.6's pooling client missed the cancel, and where it did not (or where the gateway captured
 * it, as it does on HTTP/1.1), it failed the exchange without resetting the stream and closed the connection under
 * the neighbour, which this test then saw cut off with {@code upstream_unavailable}.
 */
class NegotiatedHttp2DepartureIT {
  private static final Duration WITHIN = Duration.ofSeconds(5);
  private static final String METRICS_TOKEN = "negotiated-h2-metrics-token";
  static final SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback();

  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = FakeUpstream.httpsWithHttp2(certificate);

  @RegisterExtension
  @Order(2)
  static final GatewayServer gateway = GatewayServer.builder().config(() -> """
      api-keys: ["team-key-1"]
      metrics: {token: "%s"}
      streaming:
        keepalive-seconds: 1   # the gateway learns of a departed client at its next write
      upstream:
        read-timeout: 120s
        trust-store: "%s"
        trust-store-password: "%s"
      openai-compatibility:
        - name: p
          base-url: %s
          api-key-entries: [{api-key: k1}]
          models: [{name: thinking-model, alias: m}, {name: paced-model, alias: n}]
      """.formatted(METRICS_TOKEN, certificate.trustStore(), SelfSignedCertificate.PASSWORD, upstream.baseUrl()))
      .build();

  private final GatewayClient client = new GatewayClient(gateway, "team-key-1");

  @AfterAll
  static void deleteCertificate() {
    certificate.close();
  }

  @Test
  void aLeavingClientsStreamIsResetAndItsNeighbourOnTheSameConnectionGoesOn() throws Exception {
    NeighbourStreams.answerWithPacedStreams(upstream);
    assertEquals(200, client.chat("m").statusCode(), "an exchange ends on the connection, which makes it shared");
    UpstreamConnections.awaitAllBackInThePool(new GatewayClient(gateway, METRICS_TOKEN));

    List<RecordedRequest> seen = NeighbourStreams.leaveBesideANeighbour(upstream, client);

    assertEquals("HTTP/2.0", seen.get(0).protocol(), "negotiated HTTP/2");
    GatewayClient metricsReader = new GatewayClient(gateway, METRICS_TOKEN);
    Await.until(WITHIN,
        () -> scrape(metricsReader).sum("llmproxy_upstream_attempts_total", "outcome", "cancelled") == 1,
        "the departed stream's attempt counted as cancelled");
    PrometheusScrape metrics = scrape(metricsReader);
    assertEquals(0, metrics.sum("llmproxy_keys_cooling"), "a client leaving is not the provider's fault");
    assertEquals(0, metrics.sum("llmproxy_upstream_attempts_total", "outcome", "transient"));
  }

  private static PrometheusScrape scrape(GatewayClient metricsReader) {
    return new PrometheusScrape(metricsReader.get("/metrics").body());
  }
}
