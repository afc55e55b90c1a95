package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.PrometheusScrape;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code max-parallel-requests} on a client key: the key holds at most that many requests open on the instance; one
 * more is refused at once with 429 and Retry-After, without reaching an upstream, while other keys go on; the
 * management API shows the key's open requests against its cap; a place comes back when a request ends.
 */
class ParallelRequestsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CAPPED_KEY = "team-a-key-000000000001";
  private static final String MANAGEMENT_KEY = "mgmt-secret-0000000004";

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys:
        - "team-key-1"
        - {name: team-a, key: "%s", max-parallel-requests: 2}
      remote-management: {secret-key: "%s"}
      openai-compatibility:
        - name: vllm
          base-url: %s
          api-key-entries: [{api-key: k1}]
          models: [{name: m}]
      """.formatted(CAPPED_KEY, MANAGEMENT_KEY, upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient management = new GatewayClient(gateway, MANAGEMENT_KEY);

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  /** The live usage rows of {@code client}, by model. */
  private Map<String, JsonNode> clientUsage(String client) throws Exception {
    Map<String, JsonNode> byModel = new HashMap<>();
    for (JsonNode row : JSON.readTree(management.get("/v0/management/usage").body()).path("clients")) {
      if (client.equals(row.path("client").asText())) {
        row.path("models").forEach(m -> byModel.put(m.path("model").asText(), m));
      }
    }
    return byModel;
  }

  @Test
  void aKeyHoldsNoMoreThanItsCapAndOthersGoOn() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.pacedStream(req.model(), 400, Duration.ofMillis(25), 8));
    GatewayClient capped = new GatewayClient(gateway, CAPPED_KEY);
    List<RawClient> held = new ArrayList<>();
    try {
      held.add(new GatewayClient(gateway, CAPPED_KEY).heldStream("m"));
      held.add(new GatewayClient(gateway, CAPPED_KEY).heldStream("m"));

      HttpResponse<String> third = capped.chat("m");
      assertEquals(429, third.statusCode(), third.body());
      JsonNode error = JSON.readTree(third.body()).get("error");
      assertEquals("rate_limit_exceeded", error.get("code").asText(), third.body());
      assertTrue(error.get("message").asText().contains("max-parallel-requests"), third.body());
      assertEquals("1", third.headers().firstValue("Retry-After").orElse(null));
      assertEquals(2, upstream.requests().size(), "the refused request never reached the upstream");
      assertEquals(1, (int) new PrometheusScrape(management.get("/metrics").body()).sum("llmproxy_requests_total",
          "endpoint", "/v1/chat/completions", "status", "429"), "the refusal is counted as the request it is");
      JsonNode refused = clientUsage("key team-a").get("(not routed)");
      assertEquals(1, refused == null ? 0 : refused.get("failed").asInt(), "and is in its client's usage");

      held.add(new GatewayClient(gateway, "team-key-1").heldStream("m"));
      assertEquals(3, upstream.requests().size(), "another key is not held back");

      JsonNode row = management.apiKeyUsage("team-a");
      assertEquals(2, row.at("/max-parallel-requests/limit").asInt(), row.toString());
      assertEquals(2, row.at("/max-parallel-requests/used").asInt(), row.toString());

      held.remove(0).abort();
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      int used;
      while ((used = management.apiKeyUsage("team-a").at("/max-parallel-requests/used").asInt()) != 1
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1, used, "the stream that left gave its place back");
      held.add(new GatewayClient(gateway, CAPPED_KEY).heldStream("m"));
    } finally {
      for (RawClient c : held) {
        c.abort();
      }
    }
  }
}
