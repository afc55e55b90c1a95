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

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
        api-keys: ["team-key-1"]
        disable-cooling: true
        streaming:
          keepalive-seconds: 1   # the gateway learns of a departed client at its next write
        upstream:
          read-timeout: 120s
          http2: never
        openai-compatibility:
          - name: p
            base-url: %s
            api-key-entries: [{api-key: k1}]
            models: [{name: thinking-model, alias: m}]
        """.formatted(upstream.baseUrl()));

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
      leaveAfterTheFirstEvent(client);
      List<RecordedRequest> seen = upstream.requests();
      assertEquals(seen.get(0).connection(), seen.get(1).connection(), "round " + round + ": the stream reused it");
      upstream.awaitCancelledStreams(round, WITHIN);
    }
  }

  private static void leaveAfterTheFirstEvent(GatewayClient client) {
    SseEvents leaving = SseEvents.of(client.stream("m"));
    assertEquals("thinking...", leaving.next().deltaContent());
    leaving.close();
  }
}
