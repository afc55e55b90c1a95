package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * More streams than the gateway's own pool holds, against an HTTP/1.1 upstream: the overflow is the gateway's
 * limit, said as such (503 {@code gateway_busy} with Retry-After), and never a provider's fault: no key cools,
 * nothing fails over, and the next request once a connection is free succeeds.
 */
class GatewayBusyIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      remote-management: {secret-key: "mgmt-secret-0000000001"}
      upstream:                      # http2 at its default: HTTP/1.1 toward this http:// upstream
        max-connections-per-route: 3
        pool-wait: 300ms
      openai-compatibility:
        - name: vllm
          base-url: %s
          api-key-entries: [{api-key: k1}]
          models: [{name: m}]
      """.formatted(upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @org.junit.jupiter.api.BeforeEach
  void reset() {
    upstream.reset();
  }

  @Test
  void theOverflowGetsGatewayBusyAndNoKeyCools() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.pacedStream(req.model(), 400, Duration.ofMillis(25), 8));
    List<RawClient> held = holdThreeStreams();
    try {
      HttpResponse<String> overflow = client.chat("m");
      assertEquals(503, overflow.statusCode(), overflow.body());
      JsonNode error = JSON.readTree(overflow.body()).get("error");
      assertEquals("gateway_busy", error.get("code").asText());
      assertTrue(overflow.headers().firstValue("Retry-After").isPresent());
      assertEquals(3, upstream.requests().size(), "the overflow never reached the upstream");

      JsonNode status = JSON.readTree(new GatewayClient(gateway, "mgmt-secret-0000000001")
          .get("/v0/management/upstream-status").body());
      assertTrue(status.at("/providers/0/keys/0/cooling").isNull(), "no key cools: " + status);
      assertEquals(0, status.at("/providers/0/keys/0/models").size(), status.toString());
      assertEquals("vllm", status.at("/gateway-busy/0/provider").asText(), status.toString());
      assertTrue(status.at("/gateway-busy/0/refused").asInt() >= 1, status.toString());
    } finally {
      leave(held);
    }
    upstream.awaitCancelledStreams(3, Duration.ofSeconds(10));
    upstream.respondWith(req -> UpstreamResponse.json(dev.llmproxy.testing.OpenAiBodies.chatCompletion(req.model(), "ok")));
    HttpResponse<String> later = client.chat("m");
    assertEquals(200, later.statusCode(), "a connection came free: " + later.body());
    assertFalse(later.body().contains("gateway_busy"));
  }

  @Test
  void anAnthropicClientIsToldItIsOverloaded() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.pacedStream(req.model(), 400, Duration.ofMillis(25), 8));
    List<RawClient> held = holdThreeStreams();
    try {
      HttpResponse<String> overflow = client.send(HttpRequest.newBuilder(gateway.uri("/v1/messages"))
          .header("x-api-key", "team-key-1").header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"max_tokens\":10,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build());
      assertEquals(503, overflow.statusCode(), overflow.body());
      assertEquals("overloaded_error", JSON.readTree(overflow.body()).at("/error/type").asText());
    } finally {
      leave(held);
    }
    upstream.awaitCancelledStreams(3, Duration.ofSeconds(10));
  }

  /** Three streams that each hold one of the pool's three connections, until {@link #leave}. */
  private static List<RawClient> holdThreeStreams() throws Exception {
    List<RawClient> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(new GatewayClient(gateway).heldStream("m"));
    }
    return held;
  }

  private static void leave(List<RawClient> held) throws Exception {
    for (RawClient c : held) {
      c.abort();
    }
  }
}
