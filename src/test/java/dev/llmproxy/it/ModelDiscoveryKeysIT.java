package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.UpstreamResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Model discovery does not depend on a provider's first key: a refused key is followed by the next. */
class ModelDiscoveryKeysIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> {
    refuseTheFirstKey();
    return """
        api-keys: ["team-key-1"]
        model-discovery-interval: 1s
        openai-compatibility:
          - name: two-keys
            base-url: %s
            api-key-entries:
              - api-key: sk-revoked
              - api-key: sk-good
        """.formatted(upstream.baseUrl());
  });
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  private static void refuseTheFirstKey() {
    upstream.respondWith(r -> {
      if (r.path().endsWith("/models") && "sk-revoked".equals(r.bearerToken())) {
        return UpstreamResponse.error(401, "invalid_request_error", "Incorrect API key provided");
      }
      return UpstreamResponse.json(OpenAiBodies.modelList("found-with-key-two"));
    });
  }

  @BeforeEach
  void respondAgain() {
    refuseTheFirstKey(); // the fake upstream forgets its responder before each test
  }

  @Test
  void aRefusedFirstKeyIsFollowedByTheNextInTheSameRefresh() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<String> ids = List.of();
    while (!ids.contains("found-with-key-two") && System.nanoTime() < deadline) {
      Thread.sleep(50);
      ids = new ArrayList<>();
      for (var model : JSON.readTree(client.get("/v1/models").body()).path("data")) {
        ids.add(model.path("id").asText());
      }
    }
    assertTrue(ids.contains("found-with-key-two"), ids.toString());
    // A periodic refresh, watched from the upstream: each asks the first key, then the next.
    List<String> keysAsked = List.of();
    int first = -1;
    while ((first < 0 || first + 1 >= keysAsked.size()) && System.nanoTime() < deadline + Duration.ofSeconds(5).toNanos()) {
      Thread.sleep(50);
      keysAsked = upstream.requests().stream().filter(r -> r.path().endsWith("/models"))
          .map(RecordedRequest::bearerToken).toList();
      first = keysAsked.indexOf("sk-revoked");
    }
    assertTrue(first >= 0 && first + 1 < keysAsked.size(), keysAsked.toString());
    assertEquals("sk-good", keysAsked.get(first + 1), "the refused key is followed by the next: " + keysAsked);
  }
}
