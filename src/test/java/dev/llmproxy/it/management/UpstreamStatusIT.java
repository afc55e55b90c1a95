package dev.llmproxy.it.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.it.GatewayClient;
import dev.llmproxy.it.UpstreamAndGateway;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.UpstreamResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v0/management/upstream-status}: which keys rest, until when and why. */
class UpstreamStatusIT {
  private static final String REFUSED_KEY = "sk-refused-0123456789-aaaa";
  private static final String LIMITED_KEY = "sk-limited-0123456789-bbbb";

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      remote-management:
        secret-key: "%s"
      openai-compatibility:
        - name: p
          base-url: %s
          request-retry: 0
          api-key-entries: [{api-key: "%s"}, {api-key: "%s"}]
          models: [{name: m}]
      """.formatted(ManagementAuthIT.SECRET, upstream.baseUrl(), REFUSED_KEY, LIMITED_KEY));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();


  @Test
  void restingKeysAreListedWithTheirReasonAndTimeLeft() throws Exception {
    ManagementClient management = new ManagementClient(gateway, ManagementAuthIT.SECRET);
    JsonNode before = management.get("upstream-status").json();
    JsonNode keys = before.at("/providers/0/keys");
    assertEquals(2, keys.size());
    assertTrue(keys.get(0).get("cooling").isNull(), before.toString());
    assertEquals("direct", keys.get(0).get("proxy").asText());

    upstream.respondWith(r -> r.bearerToken().equals(REFUSED_KEY)
        ? UpstreamResponse.error(402, "invalid_request_error", "Insufficient Balance")
        : UpstreamResponse.rateLimited(Duration.ofSeconds(30)));
    new GatewayClient(gateway).chat("m");

    ManagementClient.Reply reply = management.get("upstream-status");
    assertEquals(200, reply.status(), reply.body());
    JsonNode p = reply.json().at("/providers/0");
    assertEquals("p", p.get("name").asText());
    JsonNode refused = p.get("keys").get(0);
    JsonNode limited = p.get("keys").get(1);
    assertEquals("sk-r...aaaa", refused.get("key").asText());
    assertEquals("key fault (HTTP 402)", refused.at("/cooling/reason").asText());
    assertTrue(refused.at("/cooling/seconds-left").asLong() > 1700, reply.body());
    assertTrue(limited.get("cooling").isNull(), "a rate limit rests one model, not the key");
    assertEquals("m", limited.at("/models/0/model").asText());
    assertEquals("rate limit (HTTP 429)", limited.at("/models/0/reason").asText());
    long left = limited.at("/models/0/seconds-left").asLong();
    assertTrue(left > 20 && left <= 30, "Retry-After 30 s: " + left);
    assertFalse(reply.body().contains(REFUSED_KEY) || reply.body().contains(LIMITED_KEY), "keys are masked");

  }
}
