package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code passthrough-headers: true}: the provider's informational headers reach the client, nothing else. */
class PassthroughHeadersIT {
  /** Not shaped like a key, so only the gateway's knowing it can keep it from the client. */
  private static final String UPSTREAM_KEY = "upstream-secret-0123456789";

  private static final String[] UPSTREAM_HEADERS = {
      "x-ratelimit-remaining-requests", "99", "x-request-id", "req-123", "openai-processing-ms", "412",
      "openai-organization", "org-of-the-upstream-account", "set-cookie", "session=upstream",
      "strict-transport-security", "max-age=31536000", "access-control-allow-origin", "*",
      "x-litellm-version", "1.0", "cache-control", "private"};

  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = new FakeUpstream();

  @RegisterExtension
  @Order(2)
  static final GatewayServer gateway = GatewayServer.builder()
      .config(() -> """
          api-keys: ["%s"]
          passthrough-headers: true
          openai-compatibility:
            - name: p
              base-url: %s
              api-key-entries: [{api-key: %s}]
              models: [{name: m}]
          """.formatted(GatewayClient.CLIENT_KEY, upstream.baseUrl(), UPSTREAM_KEY)).build();

  private final GatewayClient client = new GatewayClient(gateway);

  private static void assertOnlyInformationalHeaders(HttpHeaders headers) {
    assertEquals("99", headers.firstValue("x-ratelimit-remaining-requests").orElse(null));
    assertEquals("req-123", headers.firstValue("x-request-id").orElse(null));
    assertEquals("412", headers.firstValue("openai-processing-ms").orElse(null));
    for (String hidden : List.of("openai-organization", "set-cookie", "strict-transport-security",
        "access-control-allow-origin", "x-litellm-version")) {
      assertFalse(headers.firstValue(hidden).isPresent(), hidden + " must not pass: " + headers.map());
    }
  }

  @Test
  void aJsonAnswerCarriesTheProvidersInformationalHeaders() {
    upstream.respondWith(r -> UpstreamResponse.json(200, OpenAiBodies.chatCompletion(r.model(), "hi"), UPSTREAM_HEADERS));
    HttpResponse<String> response = client.chat("m");
    assertEquals(200, response.statusCode());
    assertOnlyInformationalHeaders(response.headers());
    assertEquals("application/json", response.headers().firstValue("content-type").orElse("").split(";")[0]);
  }

  @Test
  void aStreamCarriesThemTooButKeepsTheGatewaysOwnStreamHeaders() {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (int i = 0; i < UPSTREAM_HEADERS.length; i += 2) {
      headers.put(UPSTREAM_HEADERS[i], UPSTREAM_HEADERS[i + 1]);
    }
    upstream.respondWith(r -> new UpstreamResponse.Sse(200, headers, List.of(chunk(r.model(), "hi"), done())));
    HttpResponse<InputStream> response = client.stream("m");
    assertOnlyInformationalHeaders(response.headers());
    assertEquals("no-cache", response.headers().firstValue("cache-control").orElse(null), "the gateway's own wins");
    try (SseEvents events = SseEvents.of(response)) {
      assertEquals("hi", events.next().deltaContent());
      assertTrue(events.next().isDone());
    }
  }

  @Test
  void noCredentialReachesTheClientUnderAnyName() {
    upstream.respondWith(r -> UpstreamResponse.json(200, OpenAiBodies.chatCompletion(r.model(), "hi"),
        "x-request-id", "req-123", "authorization", "Bearer " + UPSTREAM_KEY, "proxy-authorization", "Basic dTpw",
        "x-api-key", UPSTREAM_KEY, "x-goog-api-key", UPSTREAM_KEY, "api-key", UPSTREAM_KEY,
        "x-echo-auth", "Bearer " + UPSTREAM_KEY, "x-debug", "sent key=" + UPSTREAM_KEY + ";"));
    HttpResponse<String> response = client.chat("m");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("req-123", response.headers().firstValue("x-request-id").orElse(null));
    for (String hidden : List.of("authorization", "proxy-authorization", "x-api-key", "x-goog-api-key", "api-key",
        "x-echo-auth", "x-debug")) {
      assertFalse(response.headers().firstValue(hidden).isPresent(), hidden + " must not pass: " + response.headers().map());
    }
    assertFalse(response.headers().map().toString().contains(UPSTREAM_KEY), response.headers().map().toString());
  }
}
