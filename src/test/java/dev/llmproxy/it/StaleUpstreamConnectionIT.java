package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.ClosingKeepAliveUpstream;
import dev.llmproxy.testing.GatewayServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An HTTP/1.1 upstream that closes each kept-alive connection as the next request arrives on it, the moment a
 * server's keep-alive timeout and the gateway's next request meet: the request goes again on another connection
 * and the client never knows; nothing cools. A connection that closes without having answered anything is still
 * the upstream's failure, and is not repeated.
 */
class StaleUpstreamConnectionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANAGEMENT_KEY = "mgmt-secret-0000000003";
  static final ClosingKeepAliveUpstream upstream = start();

  /** Two keys on one upstream: {@code m} for the requests that must succeed, {@code broken} for the one that fails. */
  @RegisterExtension
  static final GatewayServer gateway = GatewayServer.builder().config(() -> """
      api-keys: ["team-key-1"]
      remote-management: {secret-key: "%s"}
      openai-compatibility:
        - name: vllm
          base-url: %s
          api-key-entries: [{api-key: k1}]
          models: [{name: m}]
        - name: vllm-too
          base-url: %s
          api-key-entries: [{api-key: k2}]
          models: [{name: broken}]
      """.formatted(MANAGEMENT_KEY, upstream.baseUrl(), upstream.baseUrl())).build();

  private final GatewayClient client = new GatewayClient(gateway);

  @AfterAll
  static void stop() throws IOException {
    upstream.close();
  }

  @AfterEach
  void answerAgain() {
    upstream.resetting(false).answeringNothing(false);
  }

  @ParameterizedTest(name = "closed with a reset: {0}")
  @ValueSource(booleans = {false, true})
  void aRequestOnAConnectionTheUpstreamClosedGoesAgainAndNothingCools(boolean reset) throws Exception {
    upstream.resetting(reset);
    int answeredBefore = upstream.answered();
    int closedBefore = upstream.closedUnanswered();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = client.chat("m");
      assertEquals(200, r.statusCode(), "request " + i + ": " + r.body());
    }
    assertEquals(answeredBefore + 6, upstream.answered());
    assertTrue(upstream.closedUnanswered() - closedBefore >= 5,
        "each request after the first met a connection closing under it: " + upstream.closedUnanswered());
    GatewayClient management = new GatewayClient(gateway, MANAGEMENT_KEY);
    JsonNode status = JSON.readTree(management.get("/v0/management/upstream-status").body());
    assertTrue(status.at("/providers/0/keys/0/cooling").isNull(), "nothing cools: " + status);
    String metrics = management.get("/metrics").body();
    java.util.regex.Matcher stale = java.util.regex.Pattern.compile(
        "llmproxy_upstream_attempts_total\\{outcome=\"stale_connection\",provider=\"vllm\"} (\\d+)").matcher(metrics);
    assertTrue(stale.find(), "the repeats are counted: " + metrics);
    assertTrue(Double.parseDouble(stale.group(1)) >= 5, stale.group());
  }

  @Test
  void aFreshConnectionThatClosesUnansweredIsTheUpstreamsFailure() throws Exception {
    client.chat("m"); // leaves a kept-alive connection in the pool
    upstream.answeringNothing(true);
    int closedBefore = upstream.closedUnanswered();
    int connectionsBefore = upstream.connections();

    HttpResponse<String> r = client.chat("broken");

    assertEquals(502, r.statusCode(), r.body());
    assertEquals("upstream_unavailable", JSON.readTree(r.body()).at("/error/code").asText(), r.body());
    int closed = upstream.closedUnanswered() - closedBefore;
    assertTrue(closed >= 2 && closed <= 4, "the pooled connections (one or two: the request before and model "
        + "discovery at start), then one fresh connection, all closed unanswered: " + closed);
    assertEquals(connectionsBefore + 1, upstream.connections(), "a fresh connection that closed is not repeated");
  }

  private static ClosingKeepAliveUpstream start() {
    try {
      return new ClosingKeepAliveUpstream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
