package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SelfSignedCertificate;
import dev.llmproxy.testing.SseEvent;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An https provider that offers HTTP/2 by ALPN, reached with the default {@code upstream.http2: negotiate}: the pooled
 * client shares one HTTP/2 connection between streams once an exchange on it has ended. A client that leaves must
 * never take its neighbours' streams down with it.
 *
 * <p>What it does not prove, because it is not so: the departed client's stream is not reset there; it runs to its
 * end upstream. HttpClient 5.6's pooling client cancels an HTTP/2 exchange by failing it with an
 * {@code InterruptedIOException}, without resetting its stream, and then discards the connection with every stream on
 * it: with that cancel captured (as it is on HTTP/1.1 and with {@code http2: force}), this test saw the neighbour cut
 * off with {@code upstream_unavailable}. {@code http2: force} is where a departed stream is reset and its neighbours
 * go on ({@code ClientDepartureIT}).
 */
class NegotiatedHttp2DepartureIT {
  private static final String METRICS_TOKEN = "negotiated-h2-metrics-token";
  static final SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback();

  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = FakeUpstream.httpsWithHttp2(certificate);

  @RegisterExtension
  @Order(2)
  static final GatewayServer gateway = GatewayServer.builder().config(() -> """
      api-keys: ["team-key-1"]
      disable-cooling: true
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
  void aClientLeavingAStreamOnASharedConnectionLeavesItsNeighbourWhole() throws Exception {
    upstream.respondWith(r -> !r.isStream() ? UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "ok"))
        : r.model().equals("thinking-model")
            ? UpstreamResponse.pacedStream(r.model(), 200, Duration.ofMillis(50), 8) // 10 s if nobody stops it
            : UpstreamResponse.pacedStream(r.model(), 30, Duration.ofMillis(100), 8));
    assertEquals(200, client.chat("m").statusCode(), "an exchange ends on the connection, which makes it shared");
    UpstreamConnections.awaitAllBackInThePool(new GatewayClient(gateway, METRICS_TOKEN));
    upstream.clearRequests();

    try (SseEvents neighbour = SseEvents.of(client.stream("n"))) {
      neighbour.next();
      SseEvents leaving = SseEvents.of(client.stream("m"));
      leaving.next();
      leaving.close();
      List<SseEvent> rest = neighbour.remaining(Duration.ofSeconds(10));
      assertTrue(rest.get(rest.size() - 1).isDone(),
          "the neighbour on the same connection ended whole: " + rest.get(rest.size() - 1).data());
      assertEquals(31, rest.size(), "every event after the first (29 chunks and the finish), then [DONE]");
    }
    List<RecordedRequest> seen = upstream.requests();
    assertEquals("HTTP/2.0", seen.get(0).protocol(), "negotiated HTTP/2");
    assertEquals(seen.get(0).connection(), seen.get(1).connection(), "both streams shared one HTTP/2 connection");
    assertEquals(200, client.chat("m").statusCode(), "the connection serves on");
  }
}
