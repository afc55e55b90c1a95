package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.abort;
import static dev.llmproxy.testing.SseStep.await;
import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code max-open-requests}: the requests one instance holds, all providers together. Three streams to two
 * providers fill it; the next request, to either, is refused at once with 503 {@code gateway_busy} (in the
 * client's dialect) without reaching an upstream, and every way a request ends gives its place back: the answer
 * ends, the upstream dies mid-answer, the client vanishes mid-stream or mid-body, an upstream error.
 */
class OpenRequestsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANAGEMENT_KEY = "mgmt-secret-0000000002";

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      remote-management: {secret-key: "%s"}
      max-open-requests: 3
      openai-compatibility:
        - name: alpha
          base-url: %s
          api-key-entries: [{api-key: ka}]
          models: [{name: m1}]
        - name: beta
          base-url: %s
          api-key-entries: [{api-key: kb}]
          models: [{name: m2}]
      """.formatted(MANAGEMENT_KEY, upstream.baseUrl(), upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();
  private final GatewayClient management = new GatewayClient(gateway, MANAGEMENT_KEY);

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  @Test
  void theInstanceIsFullAcrossProvidersAndEveryEndingGivesThePlaceBack() throws Exception {
    CountDownLatch mayFinish = new CountDownLatch(1);
    CountDownLatch mayDie = new CountDownLatch(1);
    AtomicInteger arrivals = new AtomicInteger();
    upstream.respondWith(req -> switch (arrivals.incrementAndGet()) {
      case 1 -> UpstreamResponse.pacedStream(req.model(), 400, Duration.ofMillis(25), 8);
      case 2 -> UpstreamResponse.sse(chunk(req.model(), "one"), await(mayFinish), chunk(req.model(), "two"), done());
      default -> UpstreamResponse.sse(chunk(req.model(), "one"), await(mayDie), abort());
    });
    RawClient vanishes = stream("m1");
    RawClient finishes = stream("m2");
    RawClient seesItDie = stream("m2");
    try {
      HttpResponse<String> overflow = client.chat("m1");
      assertEquals(503, overflow.statusCode(), overflow.body());
      assertEquals("gateway_busy", JSON.readTree(overflow.body()).at("/error/code").asText(), overflow.body());
      assertEquals("2", overflow.headers().firstValue("Retry-After").orElse(null));
      HttpResponse<String> anthropic = client.send(HttpRequest.newBuilder(gateway.uri("/v1/messages"))
          .header("x-api-key", "team-key-1").header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m2\",\"max_tokens\":10,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build());
      assertEquals(503, anthropic.statusCode(), anthropic.body());
      assertEquals("overloaded_error", JSON.readTree(anthropic.body()).at("/error/type").asText(), anthropic.body());
      assertEquals(3, upstream.requests().size(), "the refused requests never reached an upstream");

      JsonNode open = status().get("open-requests");
      assertEquals(3, open.get("open").asInt(), open.toString());
      assertEquals(3, open.get("limit").asInt(), open.toString());
      assertEquals(2, open.get("refused").asInt(), open.toString());
      assertTrue(open.get("last-refused").isTextual(), open.toString());
      assertTrue(status().at("/providers/0/keys/0/cooling").isNull(), "nothing cools for the gateway's own limit");
      String metrics = management.get("/metrics").body();
      assertTrue(metrics.contains("llmproxy_requests_open 3.0"), metrics);
      assertTrue(metrics.contains("llmproxy_requests_open_limit 3.0"), metrics);
      assertTrue(metrics.contains("llmproxy_requests_refused_busy_total 2.0"), metrics);

      vanishes.abort();
      awaitOpen(2);
      mayFinish.countDown();
      assertTrue(finishes.readUntil("[DONE]", 1).contains("two"));
      awaitOpen(1);
      mayDie.countDown();
      seesItDie.readAll(500);
      awaitOpen(0);
    } finally {
      mayFinish.countDown();
      mayDie.countDown();
      vanishes.close();
      finishes.close();
      seesItDie.close();
    }

    upstream.respondWith(req -> UpstreamResponse.error(400, "invalid_request_error", "no"));
    assertEquals(400, client.chat("m1").statusCode(), "an upstream's refusal ends the request too");
    awaitOpen(0);
    upstream.respondWith(req -> UpstreamResponse.json(OpenAiBodies.chatCompletion(req.model(), "ok")));
    for (int i = 0; i < 5; i++) {
      assertEquals(200, client.chat(i % 2 == 0 ? "m1" : "m2").statusCode(), "places came back");
    }
    awaitOpen(0);
  }

  @Test
  void aClientThatLeavesInTheMiddleOfItsBodyGivesItsPlaceBack() throws Exception {
    for (int i = 0; i < 5; i++) {
      try (RawClient c = RawClient.connect(gateway.port())) {
        c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer team-key-1\r\n"
            + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
            "{\"model\":\"m1\",".getBytes(StandardCharsets.UTF_8));
        awaitOpen(1);
        c.abort();
      }
      awaitOpen(0);
    }
    assertEquals(0, upstream.requests().size());
  }

  /** A stream of {@code model} whose first event has arrived. */
  private static RawClient stream(String model) throws Exception {
    return new GatewayClient(gateway).heldStream(model);
  }

  private JsonNode status() throws Exception {
    return JSON.readTree(management.get("/v0/management/upstream-status").body());
  }

  /** Waits (up to 5 s) until the gateway holds {@code expected} requests open. */
  private void awaitOpen(int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int open;
    while ((open = status().at("/open-requests/open").asInt()) != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(expected, open, "requests open");
  }
}
