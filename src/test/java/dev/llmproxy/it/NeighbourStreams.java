package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SseEvent;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.time.Duration;
import java.util.List;

/**
 * Two streams on one HTTP/2 upstream connection, one of whose clients leaves: the scenario of the departure tests
 * for each way the gateway speaks HTTP/2. Model {@code m} (upstream {@code thinking-model}) streams 200 events 50 ms
 * apart, 10 s if nobody stops it; model {@code n} ({@code paced-model}) 30 events 100 ms apart; a request without
 * {@code stream} gets a JSON answer. Stateless.
 */
final class NeighbourStreams {
  private static final Duration WITHIN = Duration.ofSeconds(5);

  private NeighbourStreams() {}

  /** Makes {@code upstream} answer as the class comment says. */
  static void answerWithPacedStreams(FakeUpstream upstream) {
    upstream.respondWith(r -> !r.isStream() ? UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "ok"))
        : r.model().equals("thinking-model")
            ? UpstreamResponse.pacedStream(r.model(), 200, Duration.ofMillis(50), 8)
            : UpstreamResponse.pacedStream(r.model(), 30, Duration.ofMillis(100), 8));
  }

  /**
   * A neighbour stream opens; a second stream's client leaves after its first event. Asserts that stream is
   * cancelled upstream within 5 s, the neighbour arrives whole, both went over one connection, and that connection
   * then serves a chat. Returns the upstream's requests from the neighbour on.
   */
  static List<RecordedRequest> leaveBesideANeighbour(FakeUpstream upstream, GatewayClient client) throws Exception {
    upstream.clearRequests();
    try (SseEvents neighbour = SseEvents.of(client.stream("n"))) {
      neighbour.next();
      SseEvents leaving = SseEvents.of(client.stream("m"));
      leaving.next();
      leaving.close();
      upstream.awaitCancelledStreams(1, WITHIN);
      List<SseEvent> rest = neighbour.remaining(Duration.ofSeconds(10));
      assertTrue(rest.get(rest.size() - 1).isDone(),
          "the neighbour on the same connection ended whole: " + rest.get(rest.size() - 1).data());
      assertEquals(31, rest.size(), "every event after the first (29 chunks and the finish), then [DONE]");
    }
    List<RecordedRequest> seen = upstream.requests();
    assertEquals(seen.get(0).connection(), seen.get(1).connection(), "both streams shared one HTTP/2 connection");
    assertEquals(200, client.chat("m").statusCode(), "the connection serves on");
    return seen;
  }
}
