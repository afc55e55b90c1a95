package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiResponder;
import dev.llmproxy.testing.PrometheusScrape;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** Two keys on one upstream: {@code m} for the requests that must succeed, {@code broken} for the one that fails. */
  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
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
      """.formatted(MANAGEMENT_KEY, upstream.baseUrl(), upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @ParameterizedTest(name = "closed with a reset: {0}")
  @ValueSource(booleans = {false, true})
  void aRequestOnAConnectionTheUpstreamClosedGoesAgainAndNothingCools(boolean reset) throws Exception {
    KeepAliveCloser closer = new KeepAliveCloser(reset, false);
    upstream.respondWith(closer);
    GatewayClient management = new GatewayClient(gateway, MANAGEMENT_KEY);
    int repeatsBefore = count(management.get("/metrics").body(), "stale_connection", "vllm");
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = client.chat("m");
      assertEquals(200, r.statusCode(), "request " + i + ": " + r.body());
    }
    assertEquals(6, closer.answered.get());
    // Most requests after the first lease the connection the last one used, which the upstream then closes under
    // them; one that finds none idle yet (the last exchange's connection not back in the pool) opens a fresh one.
    assertTrue(closer.closed.get() >= 3,
        "requests after the first met a connection closing under them: " + closer.closed.get());
    JsonNode status = JSON.readTree(management.get("/v0/management/upstream-status").body());
    assertTrue(status.at("/providers/0/keys/0/cooling").isNull(), "nothing cools: " + status);
    assertEquals(closer.closed.get(), count(management.get("/metrics").body(), "stale_connection", "vllm")
        - repeatsBefore, "every closed request went again, counted as a repeat");
  }

  @Test
  void aFreshConnectionThatClosesUnansweredIsTheUpstreamsFailure() throws Exception {
    GatewayClient management = new GatewayClient(gateway, MANAGEMENT_KEY);
    String before = management.get("/metrics").body();
    upstream.respondWith(new KeepAliveCloser(false, false));
    client.chat("m"); // leaves a kept-alive connection in the pool
    UpstreamConnections.awaitAllBackInThePool(management);
    KeepAliveCloser silent = new KeepAliveCloser(false, true);
    upstream.respondWith(silent);

    HttpResponse<String> r = client.chat("broken");

    assertEquals(502, r.statusCode(), r.body());
    assertEquals("upstream_unavailable", JSON.readTree(r.body()).at("/error/code").asText(), r.body());
    // The pooled connections (one or two: the request before, and model discovery at start) were repeated as stale;
    // the fresh connection that closed too was the attempt's failure, and nothing went after it.
    String after = management.get("/metrics").body();
    int repeats = count(after, "stale_connection", "vllm-too") - count(before, "stale_connection", "vllm-too");
    assertTrue(repeats >= 1 && repeats <= 3, "repeats on stale connections: " + repeats);
    assertEquals(repeats + 1, silent.closed.get(), "every stale connection, then one fresh one, and no more");
    assertEquals(1, count(after, "transient", "vllm-too") - count(before, "transient", "vllm-too"),
        "the fresh connection's close is the one failure");
  }

  /** {@code llmproxy_upstream_attempts_total} for one outcome and provider, 0 when absent. */
  private static int count(String metrics, String outcome, String provider) {
    return (int) new PrometheusScrape(metrics).sum("llmproxy_upstream_attempts_total", "outcome", outcome, "provider",
        provider);
  }

  /**
   * Answers the first request of each connection (as the default fake does) and closes each later one without a
   * byte, in order or with a reset; with {@code answerNothing}, closes every request.
   */
  private static final class KeepAliveCloser implements FakeUpstream.Responder {
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    private final Set<String> connections = ConcurrentHashMap.newKeySet();
    private final OpenAiResponder answers = new OpenAiResponder();
    private final boolean reset;
    private final boolean answerNothing;

    KeepAliveCloser(boolean reset, boolean answerNothing) {
      this.reset = reset;
      this.answerNothing = answerNothing;
    }

    @Override
    public UpstreamResponse respond(RecordedRequest request) {
      if (connections.add(request.connection()) && !answerNothing) {
        if (request.path().endsWith("/chat/completions")) {
          answered.incrementAndGet();
        }
        return answers.respond(request);
      }
      closed.incrementAndGet();
      return reset ? UpstreamResponse.resetWithoutResponse() : UpstreamResponse.closeWithoutResponse();
    }
  }
}
