package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.await;
import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.data;
import static dev.llmproxy.testing.SseStep.done;
import static dev.llmproxy.testing.SseStep.event;
import static dev.llmproxy.testing.SseStep.finish;
import static dev.llmproxy.testing.SseStep.sleep;
import static dev.llmproxy.testing.SseStep.stall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failover, retries, cooldowns and honest streams against a fault-injecting upstream. Each scenario has
 * its own provider (own keys) and alias, so cooldown state of one test never leaks into another.
 * Assertions cover both what the client got and the sequence of upstream calls (key, model).
 */
class FailoverIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CLOSED_PORT = closedPort();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      request-retry: 1
      max-retry-interval: 3s
      streaming:
        keepalive-seconds: 1
      upstream:
        read-timeout: 2s
      openai-compatibility:
        - name: pool
          base-url: %1$s
          api-key-entries: [{api-key: pool-k1}, {api-key: pool-k2}]
          models:
            - {name: m1, alias: smart}
            - {name: m2, alias: smart}
            - {name: m3, alias: smart}
        - name: fair
          base-url: %1$s
          api-key-entries: [{api-key: fair-k1}]
          models:
            - {name: f1, alias: fair-pool}
            - {name: f2, alias: fair-pool}
            - {name: f3, alias: fair-pool}
        - name: keys
          base-url: %1$s
          request-retry: 0
          api-key-entries: [{api-key: keys-k1}, {api-key: keys-k2}]
          models: [{name: km, alias: two-keys}]
        - name: auth
          base-url: %1$s
          api-key-entries: [{api-key: auth-k1}, {api-key: auth-k2}]
          models: [{name: am, alias: auth-model}]
        - name: credit
          base-url: %1$s
          request-retry: 0
          api-key-entries: [{api-key: credit-k1}, {api-key: credit-k2}]
          models: [{name: crm, alias: credit-model}]
        - name: backoff
          base-url: %1$s
          request-retry: 0
          api-key-entries: [{api-key: backoff-k1}, {api-key: backoff-k2}]
          models: [{name: bom, alias: backoff-model}]
        - name: solo
          base-url: %1$s
          request-retry: 0
          api-key-entries: [{api-key: solo-k1}]
          models: [{name: sm, alias: solo}]
        - name: patient
          base-url: %1$s
          api-key-entries: [{api-key: patient-k1}]
          models: [{name: pm, alias: patient}]
        - name: streams
          base-url: %1$s
          request-retry: 0
          api-key-entries: [{api-key: st-k1}]
          models:
            - {name: s1, alias: stream-pool}
            - {name: s2, alias: stream-pool}
        - name: faults
          base-url: %1$s
          request-retry: 0
          api-key-entries: [{api-key: faults-k1}, {api-key: faults-k2}]
          models:
            - {name: fa1, alias: fault-pool}
            - {name: fa2, alias: fault-pool}
        - name: limits
          base-url: %1$s
          request-retry: 0
          api-key-entries: [{api-key: limits-k1}]
          models: [{name: li, alias: limited}]
        - name: ruled
          base-url: %1$s
          request-retry: 0
          api-key-entries: [{api-key: ruled-k1}, {api-key: ruled-k2}]
          models: [{name: rm, alias: ruled}]
          request-scoped-errors:
            - {status: 400, match: ["temporarily unavailable"], action: continue}
            - {status: 503, match-regexr: ['maintenance\\s+mode'], action: stop}
        - name: cheap-fallback
          base-url: %1$s
          request-retry: 0
          api-key-entries: [{api-key: fallback-k1}]
          models: [{name: fallback-model, alias: preferred}]
        - name: primary
          base-url: %1$s
          priority: 10
          request-retry: 0
          api-key-entries: [{api-key: primary-k1}]
          models: [{name: primary-model, alias: preferred}]
        - name: dead
          base-url: http://127.0.0.1:%2$d/v1
          request-retry: 0
          api-key-entries: [{api-key: dead-k1}]
          models: [{name: dm, alias: mixed}]
        - name: alive
          base-url: %1$s
          request-retry: 0
          api-key-entries: [{api-key: alive-k1}]
          models: [{name: lm, alias: mixed}]
      routing:
        strategy: round-robin
      """.formatted(upstream.baseUrl(), CLOSED_PORT));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  private static int closedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> calls() {
    return upstream.requests().stream().map(r -> r.bearerToken() + "/" + r.model()).toList();
  }

  private static UpstreamResponse ok(RecordedRequest r) {
    return UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "ok"));
  }

  @Test
  void failingPoolMemberIsSkippedAndEveryRequestStillSucceeds() throws Exception {
    upstream.respondWith(r -> r.model().equals("m2") ? UpstreamResponse.error(503, "server_error", "overloaded") : ok(r));
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> response = client.chat("smart");
      assertEquals(200, response.statusCode(), response.body());
    }
    long m2Calls = upstream.requests().stream().filter(r -> r.model().equals("m2")).count();
    assertTrue(m2Calls >= 1 && m2Calls <= 2, "m2 is tried once per key, then skipped while cooling: " + calls());
    assertEquals(30, upstream.requests().stream().filter(r -> !r.model().equals("m2")).count());
  }

  @Test
  void poolRoundRobinIsFairOver300Requests() {
    upstream.respondWith(FailoverIT::ok);
    for (int i = 0; i < 300; i++) {
      assertEquals(200, client.chat("fair-pool").statusCode());
    }
    Map<String, Long> perMember = new TreeMap<>();
    upstream.requests().forEach(r -> perMember.merge(r.model(), 1L, Long::sum));
    assertEquals(Map.of("f1", 100L, "f2", 100L, "f3", 100L), perMember);
  }

  @Test
  void rateLimitedKeyHandsOverToTheNextKeyAndCoolsForRetryAfter() throws Exception {
    upstream.respondWith(r -> r.bearerToken().equals("keys-k1") ? UpstreamResponse.rateLimited(Duration.ofSeconds(30)) : ok(r));
    for (int i = 0; i < 4; i++) {
      assertEquals(200, client.chat("two-keys").statusCode());
    }
    assertEquals(1, upstream.requests().stream().filter(r -> r.bearerToken().equals("keys-k1")).count(),
        "k1 is tried once, then skipped for its Retry-After: " + calls());
    assertEquals(4, upstream.requests().stream().filter(r -> r.bearerToken().equals("keys-k2")).count());
  }

  @Test
  void keyFaultsMoveOnAndTheRefusedKeyStaysOut() {
    upstream.respondWith(r -> r.bearerToken().equals("auth-k1") ? UpstreamResponse.error(401, "authentication_error", "bad key") : ok(r));
    for (int i = 0; i < 4; i++) {
      assertEquals(200, client.chat("auth-model").statusCode());
    }
    assertEquals(1, upstream.requests().stream().filter(r -> r.bearerToken().equals("auth-k1")).count(), calls().toString());
  }

  @Test
  void insufficientCredit402MovesToTheNextKeyAndThatKeyStaysOut() {
    upstream.respondWith(r -> r.bearerToken().equals("credit-k1")
        ? UpstreamResponse.json(402, OpenAiBodies.error("invalid_request_error", "Insufficient Balance", "invalid_request_error"))
        : ok(r));
    for (int i = 0; i < 4; i++) {
      assertEquals(200, client.chat("credit-model").statusCode());
    }
    assertEquals(List.of("credit-k1/crm", "credit-k2/crm", "credit-k2/crm", "credit-k2/crm", "credit-k2/crm"), calls(),
        "a 402 is a key fault even with a request-fault-looking body (CLIProxyAPI users hit this with DeepSeek)");
  }

  @Test
  void rateLimitWithoutRetryAfterBacksOffAndRecovers() throws Exception {
    AtomicInteger k1Calls = new AtomicInteger();
    upstream.respondWith(r -> r.bearerToken().equals("backoff-k1") && k1Calls.incrementAndGet() == 1
        ? UpstreamResponse.json(429, OpenAiBodies.error("rate_limit_error", "slow down", "rate_limit_exceeded"))
        : ok(r));
    assertEquals(200, client.chat("backoff-model").statusCode());
    assertEquals(200, client.chat("backoff-model").statusCode());
    long k1Before = upstream.requests().stream().filter(r -> r.bearerToken().equals("backoff-k1")).count();
    assertEquals(1, k1Before, "k1 cools for the first backoff step (1 s): " + calls());
    Thread.sleep(1200);
    for (int i = 0; i < 2; i++) {
      assertEquals(200, client.chat("backoff-model").statusCode());
    }
    assertTrue(upstream.requests().stream().filter(r -> r.bearerToken().equals("backoff-k1")).count() > k1Before,
        "after the backoff k1 is used again: " + calls());
  }

  @Test
  void whenEveryCandidateCoolsTheClientGets429ModelCooldownWithRetryAfter() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.rateLimited(Duration.ofSeconds(40)));
    HttpResponse<String> first = client.chat("solo");
    assertEquals(429, first.statusCode(), "the last upstream status comes back");
    assertEquals("rate_limit_exceeded", JSON.readTree(first.body()).path("error").path("code").asText(),
        "with the upstream's own OpenAI-shaped body");
    HttpResponse<String> second = client.chat("solo");
    assertEquals(429, second.statusCode());
    assertEquals("model_cooldown", JSON.readTree(second.body()).path("error").path("code").asText());
    long retryAfter = Long.parseLong(second.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter > 30 && retryAfter <= 40, "seconds until the key is back: " + retryAfter);
    assertEquals(1, upstream.requests().size(), "no upstream call while cooling");
  }

  @Test
  void shortRetryAfterIsWaitedOutWithinMaxRetryInterval() {
    AtomicInteger calls = new AtomicInteger();
    upstream.respondWith(r -> calls.incrementAndGet() == 1 ? UpstreamResponse.rateLimited(Duration.ofSeconds(1)) : ok(r));
    long start = System.nanoTime();
    HttpResponse<String> response = client.chat("patient");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(2, upstream.requests().size());
    assertTrue(millis >= 900, "the gateway waited for Retry-After before the second round: " + millis + " ms");
  }

  @Test
  void streamThatFailsBeforeItsFirstEventFailsOverInvisibly() {
    upstream.respondWith(r -> r.model().equals("s1")
        ? UpstreamResponse.sse(data("{\"error\":{\"message\":\"upstream overloaded\",\"type\":\"server_error\"}}"))
        : UpstreamResponse.sse(chunk(r.model(), "fine"), finish(r.model()), done()));
    for (int i = 0; i < 2; i++) {
      try (SseEvents events = SseEvents.of(client.stream("stream-pool"))) {
        assertEquals("fine", events.next().deltaContent());
        events.next();
        assertTrue(events.next().isDone());
      }
    }
    assertEquals(1, upstream.requests().stream().filter(r -> r.model().equals("s1")).count(), calls().toString());
  }

  @Test
  void requestFaultReportedInTheStreamBeforeItsFirstEventGoesStraightBack() throws Exception {
    String contextError = "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\","
        + "\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}";
    upstream.respondWith(r -> UpstreamResponse.sse(data(contextError)));
    HttpResponse<java.io.InputStream> refused = client.stream("fault-pool");
    assertEquals(400, refused.statusCode());
    assertEquals("context_length_exceeded",
        JSON.readTree(refused.body().readAllBytes()).path("error").path("code").asText());
    assertEquals(1, upstream.requests().size(), "no failover for a fault of the request: " + calls());
    String faulted = calls().get(0);

    // Not the key's or the model's fault: the same key and model are used again, not cooled.
    upstream.respondWith(r -> UpstreamResponse.sse(chunk(r.model(), "fine"), done()));
    for (int i = 0; i < 4; i++) {
      try (SseEvents events = SseEvents.of(client.stream("fault-pool"))) {
        assertEquals("fine", events.next().deltaContent());
      }
    }
    assertTrue(calls().stream().filter(faulted::equals).count() >= 2, calls().toString());
  }

  @Test
  void rateLimitReportedInTheStreamIsARateLimitNotAnUpstreamFailure() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.sse(
        data("{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")));
    HttpResponse<java.io.InputStream> limited = client.stream("limited");
    assertEquals(429, limited.statusCode(), "as if the upstream had answered 429");
    assertEquals("rate_limit_exceeded",
        JSON.readTree(limited.body().readAllBytes()).path("error").path("code").asText());
    HttpResponse<String> next = client.chat("limited");
    assertEquals(429, next.statusCode());
    assertEquals("model_cooldown", JSON.readTree(next.body()).path("error").path("code").asText(),
        "the only key rests for its backoff: " + next.body());
    assertEquals(1, upstream.requests().size(), calls().toString());
  }

  @Test
  void providerRuleTurnsA400IntoFailover() {
    AtomicInteger calls = new AtomicInteger();
    upstream.respondWith(r -> calls.getAndIncrement() == 0
        ? UpstreamResponse.json(400, "{\"error\":{\"message\":\"The model is temporarily unavailable\","
            + "\"type\":\"invalid_request_error\"}}")
        : ok(r));
    assertEquals(200, client.chat("ruled").statusCode(), "the rule says continue, the next key answers");
    List<String> keys = upstream.requests().stream().map(RecordedRequest::bearerToken).toList();
    assertEquals(2, keys.size(), keys.toString());
    assertTrue(!keys.get(0).equals(keys.get(1)), keys.toString());
  }

  @Test
  void providerRuleStopsAtA503ThatWouldFailOver() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.json(503,
        "{\"error\":{\"message\":\"down for scheduled maintenance  mode\",\"type\":\"server_error\"}}"));
    HttpResponse<String> response = client.chat("ruled");
    assertEquals(503, response.statusCode());
    assertTrue(response.body().contains("maintenance"), response.body());
    assertEquals(1, upstream.requests().size(), "the rule says stop: " + calls());
  }

  @Test
  void theHigherPriorityProviderServesEveryRequestUntilItFails() {
    upstream.respondWith(FailoverIT::ok);
    for (int i = 0; i < 4; i++) {
      assertEquals(200, client.chat("preferred").statusCode());
    }
    assertEquals(List.of("primary-k1/primary-model", "primary-k1/primary-model", "primary-k1/primary-model",
        "primary-k1/primary-model"), calls(), "declared second, but priority 10");

    upstream.reset();
    upstream.respondWith(r -> r.model().equals("primary-model")
        ? UpstreamResponse.error(503, "server_error", "overloaded") : ok(r));
    assertEquals(200, client.chat("preferred").statusCode(), "the fallback answers");
    assertEquals(List.of("primary-k1/primary-model", "fallback-k1/fallback-model"), calls());
  }

  @Test
  void connectionRefusedFailsOverToAnotherProviderOfTheSameAlias() {
    upstream.respondWith(FailoverIT::ok);
    for (int i = 0; i < 4; i++) {
      assertEquals(200, client.chat("mixed").statusCode());
    }
    assertEquals(4, upstream.requests().size());
  }

  @Test
  void afterTheFirstEventAStallEndsWithAnErrorEventNotFailover() {
    CountDownLatch seen = new CountDownLatch(1);
    upstream.respondWith(r -> UpstreamResponse.sse(chunk(r.model(), "begun"), await(seen), stall()));
    try (SseEvents events = SseEvents.of(client.stream("solo"))) {
      assertEquals("begun", events.next().deltaContent());
      seen.countDown();
      var next = events.next(Duration.ofSeconds(10));
      while (!next.isError()) {
        next = events.next(Duration.ofSeconds(10));
      }
      assertTrue(next.data().contains("upstream_timeout"), next.data());
    }
    assertEquals(1, upstream.requests().size(), "no failover after the first byte");
  }

  @Test
  void malformedEventMidStreamEndsWithAnErrorEvent() {
    upstream.respondWith(r -> UpstreamResponse.sse(chunk(r.model(), "ok"), data("{not json"), done()));
    try (SseEvents events = SseEvents.of(client.stream("patient"))) {
      assertEquals("ok", events.next().deltaContent());
      var last = events.next();
      assertTrue(last.isError(), last.data());
      assertTrue(events.nextOrEnd(Duration.ofSeconds(5)).isEmpty(), "no [DONE] after an error");
    }
  }

  @Test
  void longSilencesGetKeepAliveComments() {
    upstream.respondWith(r -> UpstreamResponse.sse(chunk(r.model(), "thinking"), sleep(Duration.ofMillis(1600)),
        chunk(r.model(), "answer"), done()));
    try (SseEvents events = SseEvents.of(client.stream("patient"))) {
      assertEquals("thinking", events.next().deltaContent());
      var second = events.next();
      assertEquals("answer", second.deltaContent());
      assertTrue(second.comments().stream().anyMatch(c -> c.contains("keep-alive")), "comments: " + second.comments());
    }
  }

  @Test
  void upstreamErrorEventsNamedErrorAlsoFailOverBeforeFirstByte() {
    upstream.respondWith(r -> r.model().equals("s1")
        ? UpstreamResponse.sse(event("error", "{\"message\":\"boom\"}"))
        : UpstreamResponse.sse(chunk(r.model(), "fine"), done()));
    for (int i = 0; i < 2; i++) {
      try (SseEvents events = SseEvents.of(client.stream("stream-pool"))) {
        assertEquals("fine", events.next().deltaContent());
      }
    }
  }
}
