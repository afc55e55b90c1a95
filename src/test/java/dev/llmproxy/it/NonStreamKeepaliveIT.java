package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.done;
import static dev.llmproxy.testing.SseStep.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code nonstream-keepalive-interval}: while a non-streaming answer is pending, the gateway sends 200
 * and a newline every interval, so a proxy in front does not close the silent connection; the JSON that
 * follows parses as usual, failover still happens unseen, and a final error comes as the body.
 */
class NonStreamKeepaliveIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SLOW = Duration.ofMillis(2500);

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      nonstream-keepalive-interval: 1s
      openai-compatibility:
        - name: p
          base-url: %s
          request-retry: 0
          api-key-entries: [{api-key: k1}, {api-key: k2}]
          models: [{name: m}]
      """.formatted(upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  private static UpstreamResponse slowAnswer(RecordedRequest r) {
    return UpstreamResponse.delayed(SLOW, UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "thought")));
  }

  private static int leadingNewlines(String body) {
    int n = 0;
    while (n < body.length() && body.charAt(n) == '\n') {
      n++;
    }
    return n;
  }

  @Test
  void aSlowAnswerIsPaddedWithNewlinesAndStillParses() throws Exception {
    upstream.respondWith(NonStreamKeepaliveIT::slowAnswer);
    HttpResponse<String> response = client.chat("m");
    assertEquals(200, response.statusCode());
    assertTrue(leadingNewlines(response.body()) >= 2, "one newline per second of waiting: " + response.body());
    assertEquals("thought", JSON.readTree(response.body()).at("/choices/0/message/content").asText());
  }

  @Test
  void aQuickAnswerIsNotPadded() {
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "quick")));
    HttpResponse<String> response = client.chat("m");
    assertEquals(200, response.statusCode());
    assertEquals('{', response.body().charAt(0), response.body());
    assertTrue(response.headers().firstValue("Content-Length").isPresent(), "sent whole, with its length");
  }

  @Test
  void failoverAfterPaddingIsUnseen() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    upstream.respondWith(r -> attempts.getAndIncrement() == 0
        ? UpstreamResponse.delayed(SLOW, UpstreamResponse.error(503, "server_error", "overloaded"))
        : UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "from the next key")));
    HttpResponse<String> response = client.chat("m");
    assertEquals(200, response.statusCode());
    assertTrue(leadingNewlines(response.body()) >= 1, response.body());
    assertEquals("from the next key", JSON.readTree(response.body()).at("/choices/0/message/content").asText());
    assertEquals(2, upstream.requests().size());
    assertTrue(!upstream.requests().get(0).bearerToken().equals(upstream.requests().get(1).bearerToken()));
  }

  @Test
  void anErrorAfterPaddingIsTheBodyOfA200() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.delayed(SLOW,
        UpstreamResponse.error(400, "invalid_request_error", "context too long")));
    HttpResponse<String> response = client.chat("m");
    assertEquals(200, response.statusCode(), "the status went out with the padding");
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertEquals("context too long", error.get("message").asText(), response.body());
  }

  @Test
  void streamsAreNotPadded() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.sse(sleep(SLOW), chunk(r.model(), "late"), done()));
    HttpResponse<InputStream> response = client.stream("m");
    try (InputStream in = response.body()) {
      String start = new String(in.readNBytes(6), StandardCharsets.UTF_8);
      assertEquals("data: ", start, "an SSE stream starts with its first event");
    }
  }
}
