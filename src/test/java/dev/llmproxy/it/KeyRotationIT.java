package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.RecordedRequest;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every key of a route takes its turn, across providers and pool members, as the upstream sees them: an alias
 * served by two providers uses all their keys in proportion, and a pool on two keys pairs every key with every
 * member.
 */
class KeyRotationIT {
  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      openai-compatibility:
        - name: a
          base-url: %1$s
          api-key-entries: [{api-key: ka1}, {api-key: ka2}]
          models: [{name: ma, alias: gpt}]
        - name: b
          base-url: %1$s
          api-key-entries: [{api-key: kb1}]
          models: [{name: mb, alias: gpt}]
        - name: pool
          base-url: %1$s
          api-key-entries: [{api-key: kp1}, {api-key: kp2}]
          models: [{name: p1, alias: duo}, {name: p2, alias: duo}]
      """.formatted(upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();

  private final GatewayClient client = setup.client();

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  @Test
  void anAliasOnTwoProvidersUsesEveryKeyInTurn() {
    for (int i = 0; i < 6; i++) {
      assertEquals(200, client.chat("gpt").statusCode());
    }
    assertEquals(Map.of("ka1/ma", 2, "ka2/ma", 2, "kb1/mb", 2), seen());
  }

  @Test
  void aPoolOnTwoKeysPairsEveryKeyWithEveryMember() {
    for (int i = 0; i < 8; i++) {
      assertEquals(200, client.chat("duo").statusCode());
    }
    assertEquals(Map.of("kp1/p1", 2, "kp1/p2", 2, "kp2/p1", 2, "kp2/p2", 2), seen());
  }

  private static Map<String, Integer> seen() {
    Map<String, Integer> seen = new TreeMap<>();
    for (RecordedRequest r : upstream.requests()) {
      seen.merge(r.bearerToken() + "/" + r.model(), 1, Integer::sum);
    }
    return seen;
  }
}
