package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.done;
import static dev.llmproxy.testing.SseStep.send;
import static dev.llmproxy.testing.SseStep.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.SseEvent;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.SseStep;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upstreams that are never silent and never done: one that answers 200 and then sends only SSE comments
 * ({@code upstream.first-event-timeout}), and one that drips its answer forever ({@code upstream.max-duration}).
 * The read timeout sees neither, as each byte resets it.
 */
class UpstreamDeadlinesIT {
  private static final Duration FIRST_EVENT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration MAX_DURATION = Duration.ofSeconds(5);
  private static final Duration TICK = Duration.ofMillis(300);

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      disable-cooling: true
      routing:
        pool-strategy: ordered
      upstream:
        first-event-timeout: %2$ds
        max-duration: %3$ds
      openai-compatibility:
        - name: acme
          base-url: %1$s
          api-key-entries: [{api-key: k1}]
          models: [{name: up-model, alias: m}]
        - name: pool
          base-url: %1$s
          api-key-entries: [{api-key: pool-k1}]
          models:
            - {name: pinging, alias: pooled}
            - {name: answering, alias: pooled}
      """.formatted(upstream.baseUrl(), FIRST_EVENT_TIMEOUT.toSeconds(), MAX_DURATION.toSeconds()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  @Test
  void aStreamOfOnlyCommentsGets504AfterTheFirstEventTimeout() {
    upstream.respondWith(r -> commentsForever());
    long start = System.nanoTime();
    HttpResponse<String> response = client.post("/v1/chat/completions", """
        {"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(504, response.statusCode(), response.body());
    assertTrue(response.body().contains("upstream_timeout"), response.body());
    assertTrue(took.compareTo(FIRST_EVENT_TIMEOUT) >= 0 && took.compareTo(MAX_DURATION) < 0, "took " + took);
  }

  @Test
  void anAnthropicClientGetsTheTimeoutInItsOwnErrorShape() {
    upstream.respondWith(r -> commentsForever());
    HttpResponse<String> response = client.post("/v1/messages", """
        {"model":"m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");
    assertEquals(504, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"type\":\"error\""), response.body());
  }

  @Test
  void aStreamOfOnlyCommentsFailsOverWhileNothingReachedTheClient() {
    upstream.respondWith(r -> "pinging".equals(r.model()) ? commentsForever()
        : UpstreamResponse.sse(chunk(r.model(), "from the second"), done()));
    try (SseEvents events = SseEvents.of(client.stream("pooled"))) {
      assertEquals("from the second", events.next().deltaContent());
    }
    assertEquals(List.of("pinging", "answering"), upstream.requests().stream().map(r -> r.model()).toList());
  }

  @Test
  void aStreamThatNeverEndsEndsWithAnErrorEventAtTheMaxDuration() {
    List<SseStep> steps = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      steps.add(chunk("up-model", "tick"));
      steps.add(sleep(TICK));
    }
    upstream.respondWith(r -> UpstreamResponse.sse(steps));
    long start = System.nanoTime();
    try (SseEvents events = SseEvents.of(client.stream("m"))) {
      List<SseEvent> all = events.remaining(MAX_DURATION.multipliedBy(2));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals("tick", all.get(0).deltaContent());
      assertTrue(all.get(all.size() - 1).isError(), "last: " + all.get(all.size() - 1));
      assertTrue(took.compareTo(MAX_DURATION) >= 0 && took.compareTo(MAX_DURATION.plusSeconds(3)) < 0, "took " + took);
    }
  }

  @Test
  void aJsonAnswerThatDripsForeverGets504AtTheMaxDuration() {
    String json = OpenAiBodies.chatCompletion("up-model", "x".repeat(200));
    List<SseStep> drips = new ArrayList<>();
    for (char c : json.toCharArray()) {
      drips.add(send(String.valueOf(c)));
      drips.add(sleep(TICK));
    }
    upstream.respondWith(r -> new UpstreamResponse.Sse(200, Map.of("Content-Type", "application/json"), drips));
    long start = System.nanoTime();
    HttpResponse<String> response = client.chat("m");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(504, response.statusCode(), response.body());
    assertTrue(response.body().contains("upstream_timeout"), response.body());
    assertTrue(took.compareTo(MAX_DURATION.plusSeconds(3)) < 0, "took " + took);
  }

  private static UpstreamResponse commentsForever() {
    List<SseStep> steps = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      steps.add(send(": ping\n\n"));
      steps.add(sleep(TICK));
    }
    return UpstreamResponse.sse(steps);
  }
}
