package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.done;
import static dev.llmproxy.testing.SseStep.stall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retry details that users rely on: an ordered pool keeps its primary, a flapping upstream never
 * reaches the client, a stream that broke before its first event is re-run by bootstrap-retries, a
 * client leaving is not the key's fault, and cooldowns survive a config reload.
 */
class RetryBehaviourIT {
  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = new FakeUpstream();

  private static String config() {
    return """
        api-keys: ["team-key-1"]
        routing:
          strategy: fill-first
          pool-strategy: ordered
        streaming:
          bootstrap-retries: 1
          keepalive-seconds: 1
        openai-compatibility:
          - name: primary
            base-url: %1$s
            api-key-entries: [{api-key: pri-k1}]
            models:
              - {name: big-model, alias: prefer}
              - {name: fallback-model, alias: prefer}
          - name: flappy
            base-url: %1$s
            disable-cooling: true
            api-key-entries: [{api-key: flap-k1}, {api-key: flap-k2}]
            models: [{name: fm, alias: flapping}]
          - name: boot
            base-url: %1$s
            disable-cooling: true
            api-key-entries: [{api-key: boot-k1}]
            models: [{name: bm, alias: bootstrap}]
          - name: leave
            base-url: %1$s
            api-key-entries: [{api-key: leave-k1}, {api-key: leave-k2}]
            models: [{name: lm, alias: leaver}]
          - name: cool
            base-url: %1$s
            api-key-entries: [{api-key: cool-k1}, {api-key: cool-k2}]
            models: [{name: cm, alias: cooler}]
        """.formatted(upstream.baseUrl());
  }

  @RegisterExtension
  @Order(2)
  static final GatewayServer gateway = GatewayServer.builder().config(RetryBehaviourIT::config).build();

  private final GatewayClient client = new GatewayClient(gateway);

  private static UpstreamResponse ok(RecordedRequest r) {
    return UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "ok"));
  }

  @Test
  void orderedPoolAlwaysStartsWithThePrimaryAndFallsBackInOrder() {
    upstream.respondWith(RetryBehaviourIT::ok);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, client.chat("prefer").statusCode());
    }
    assertEquals(List.of("big-model", "big-model", "big-model"), upstream.requests().stream().map(RecordedRequest::model).toList());
    upstream.clearRequests();
    upstream.respondWith(r -> r.model().equals("big-model") ? UpstreamResponse.error(503, "server_error", "down") : ok(r));
    assertEquals(200, client.chat("prefer").statusCode());
    assertEquals(List.of("big-model", "fallback-model"), upstream.requests().stream().map(RecordedRequest::model).toList());
  }

  @Test
  void flappingUpstreamNeverReachesTheClient() {
    AtomicInteger n = new AtomicInteger();
    upstream.respondWith(r -> n.incrementAndGet() % 2 == 1 ? UpstreamResponse.error(502, "server_error", "flap") : ok(r));
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = client.chat("flapping");
      assertEquals(200, response.statusCode(), response.body());
    }
    assertEquals(40, upstream.requests().size(), "each request: one failure, then success on the other key");
  }

  @Test
  void bootstrapRetriesRerunAStreamThatFailedBeforeItsFirstEvent() {
    AtomicInteger n = new AtomicInteger();
    upstream.respondWith(r -> n.incrementAndGet() == 1
        ? UpstreamResponse.sse(List.of())
        : UpstreamResponse.sse(chunk(r.model(), "second try"), done()));
    try (SseEvents events = SseEvents.of(client.stream("bootstrap"))) {
      assertEquals("second try", events.next().deltaContent());
      assertTrue(events.next().isDone());
    }
    assertEquals(2, upstream.requests().size(), "one key: the second call is the bootstrap retry");
    HttpResponse<String> plain = client.chat("bootstrap");
    assertEquals(200, plain.statusCode());
  }

  @Test
  void clientLeavingIsNotCountedAgainstTheKey() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.sse(chunk(r.model(), "hi"), stall()));
    SseEvents events = SseEvents.of(client.stream("leaver"));
    events.next();
    events.close();
    upstream.awaitCancelledStreams(1, Duration.ofSeconds(10));
    upstream.clearRequests();
    upstream.respondWith(RetryBehaviourIT::ok);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, client.chat("leaver").statusCode());
    }
    assertEquals(List.of("leave-k1", "leave-k1", "leave-k1"), upstream.requests().stream().map(RecordedRequest::bearerToken).toList(),
        "fill-first stays on k1: it was not put in cooldown");
  }

  @Test
  void cooldownsSurviveAReloadForKeysThatDidNotChange() throws Exception {
    upstream.respondWith(r -> r.bearerToken().equals("cool-k1") ? UpstreamResponse.rateLimited(Duration.ofSeconds(60)) : ok(r));
    assertEquals(200, client.chat("cooler").statusCode());
    gateway.writeConfig(config() + "  - name: marker\n    base-url: " + upstream.baseUrl()
        + "\n    models: [{name: reloaded}]\n");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!client.get("/v1/models").body().contains("reloaded") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(client.get("/v1/models").body().contains("reloaded"), "the new config is live");
    upstream.clearRequests();
    upstream.respondWith(RetryBehaviourIT::ok);
    assertEquals(200, client.chat("cooler").statusCode());
    assertEquals(List.of("cool-k2"), upstream.requests().stream().map(RecordedRequest::bearerToken).toList(),
        "k1 is still cooling after the reload");
  }
}
