package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.stall;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that leaves while its upstream is silent (a model thinking) stops that upstream exchange at once, also on a
 * connection the pool had already used: HttpClient's own cancel missed exactly those, and the provider then went on
 * generating for nobody until the read timeout (see {@code ExchangeCancellation}). The read timeout here is far longer
 * than the bound asserted, so only a real cancel passes.
 */
class ClientDepartureIT {
  private static final Duration WITHIN = Duration.ofSeconds(5);

  private static final String METRICS_TOKEN = "departure-metrics-token-1";

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> config(upstream, "never"));

  /** One HTTP/2 connection for every stream, so that streams are neighbours. */
  @RegisterExtension
  static final UpstreamAndGateway http2 = new UpstreamAndGateway(upstream -> config(upstream, "force"));

  private static String config(FakeUpstream upstream, String http2) {
    return """
        api-keys: ["team-key-1"]
        disable-cooling: true
        metrics: {token: "%s"}
        streaming:
          keepalive-seconds: 1   # the gateway learns of a departed client at its next write
        upstream:
          read-timeout: 120s
          http2: %s
          http2-connections: 1
        openai-compatibility:
          - name: p
            base-url: %s
            api-key-entries: [{api-key: k1}]
            models: [{name: thinking-model, alias: m}, {name: paced-model, alias: n}]
        """.formatted(METRICS_TOKEN, http2, upstream.baseUrl());
  }

  @Test
  void aStalledStreamOnAReusedHttp1ConnectionIsClosedWhenItsClientLeaves() throws Exception {
    FakeUpstream upstream = setup.upstream();
    GatewayClient client = setup.client();
    for (int round = 1; round <= 3; round++) {
      upstream.clearRequests();
      upstream.respondWith(r -> r.isStream()
          ? UpstreamResponse.sse(chunk(r.model(), "thinking..."), stall())
          : UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "ok")));
      assertEquals(200, client.chat("m").statusCode(), "warms a pooled connection");
      UpstreamConnections.awaitAllBackInThePool(new GatewayClient(setup.gateway(), METRICS_TOKEN));
      leaveAfterTheFirstEvent(client);
      List<RecordedRequest> seen = upstream.requests();
      assertEquals(seen.get(0).connection(), seen.get(1).connection(), "round " + round + ": the stream reused it");
      upstream.awaitCancelledStreams(round, WITHIN);
    }
  }

  /**
   * HTTP/2: the departed client's stream is reset (at its next frame: HttpCore resets no earlier), and the connection
   * with its other streams lives on. Before, the stream ran to its end for nobody, or, when the cancel reached it,
   * HttpClient closed the connection under its neighbours.
   */
  @Test
  void anHttp2StreamIsResetWhenItsClientLeavesAndItsNeighbourGoesOn() throws Exception {
    NeighbourStreams.answerWithPacedStreams(http2.upstream());
    // The neighbour opens the connection; the stream that leaves finds it open, the path HttpClient's cancel missed.
    NeighbourStreams.leaveBesideANeighbour(http2.upstream(), http2.client());
  }

  private static void leaveAfterTheFirstEvent(GatewayClient client) {
    SseEvents leaving = SseEvents.of(client.stream("m"));
    assertEquals("thinking...", leaving.next().deltaContent());
    leaving.close();
  }
}
