package dev.llmproxy.it;

import static dev.llmproxy.it.GatewayHttp.bearer;
import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.data;
import static dev.llmproxy.testing.SseStep.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.PrometheusScrape;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /metrics}: what it shows after real requests, and who may read it. */
class MetricsIT {
  private static final String CLIENT_KEY = "metrics-it-client-key-0123";
  private static final String UPSTREAM_KEY = "sk-upstream-secret-4567-metrics";
  private static final String MANAGEMENT_KEY = "metrics-it-management-secret";
  private static final String TOKEN = "scraper-token-for-metrics-it";
  private static final String PROMPT = "a prompt that must never become a label";

  private final GatewayHttp http = new GatewayHttp();

  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = new FakeUpstream();

  @RegisterExtension
  @Order(2)
  static final GatewayServer gateway = GatewayServer.builder().config(() -> config("""
      remote-management:
        secret-key: "%s"
      metrics:
        token: "%s"
      """.formatted(MANAGEMENT_KEY, TOKEN))).build();

  private static String config(String extra) {
    return """
        api-keys: ["%s"]
        %sopenai-compatibility:
          - name: p
            base-url: %s
            request-retry: 0
            api-key-entries: [{api-key: "%s"}]
            models: [{name: m}]
        """.formatted(CLIENT_KEY, extra, upstream.baseUrl(), UPSTREAM_KEY);
  }

  private HttpResponse<String> chat(GatewayServer target, String model, boolean stream) throws Exception {
    return http.post(target.uri("/v1/chat/completions"), "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT
        + "\"}]}", "Authorization", bearer(CLIENT_KEY));
  }

  private HttpResponse<String> metrics(GatewayServer target, String... headers) throws Exception {
    return http.get(target.uri("/metrics"), headers);
  }

  private PrometheusScrape scrape(GatewayServer target) throws Exception {
    HttpResponse<String> r = metrics(target, "Authorization", bearer(TOKEN));
    assertEquals(200, r.statusCode(), r.body());
    return new PrometheusScrape(r.body());
  }

  @Test
  void requestsAttemptsTokensAndLatencyAreCountedWithBoundedLabels() throws Exception {
    PrometheusScrape before = scrape(gateway);
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));
    assertEquals(200, chat(gateway, "m", false).statusCode());
    upstream.respondWith(r -> UpstreamResponse.sse(chunk(r.model(), "hi"),
        data("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}"), done()));
    assertEquals(200, chat(gateway, "m", true).statusCode());
    upstream.respondWith(r -> UpstreamResponse.error(500, "server_error", "down"));
    assertEquals(500, chat(gateway, "m", false).statusCode());
    assertEquals(404, chat(gateway, "no-such-model-" + PROMPT.hashCode(), false).statusCode());
    assertEquals(401, new GatewayClient(gateway, "not-a-key-of-ours").chat("m").statusCode());

    // The GC meters appear with the first collection the JVM reports (the gateway runs in this JVM): one is asked
    // for, and the scrape repeated until its notification has arrived, instead of hoping one happened by now.
    System.gc();
    PrometheusScrape after = scrape(gateway);
    for (int i = 0; i < 100 && !after.has("jvm_gc_pause_seconds_count"); i++) {
      Thread.sleep(50);
      after = scrape(gateway);
    }
    String[] chatM = {"dialect", "openai", "endpoint", "/v1/chat/completions", "model", "m"};
    assertEquals(2, delta(before, after, "llmproxy_requests_total", with(chatM, "status", "200")));
    assertEquals(1, delta(before, after, "llmproxy_requests_total", with(chatM, "status", "500")));
    assertEquals(1, delta(before, after, "llmproxy_requests_total", "model", "(not routed)", "status", "404"));
    assertEquals(1, delta(before, after, "llmproxy_requests_total", "endpoint", "/v1/chat/completions", "model",
        "(not routed)", "status", "401"), "a refused key is counted, so a surge of bad keys shows");
    assertEquals(3, delta(before, after, "llmproxy_request_duration_seconds_count", chatM));
    assertEquals(3, delta(before, after, "llmproxy_request_duration_seconds_bucket", with(chatM, "le", "+Inf")));
    assertEquals(2, delta(before, after, "llmproxy_first_byte_seconds_count", chatM), "answers, not errors");
    assertEquals(2, delta(before, after, "llmproxy_upstream_attempts_total", "provider", "p", "outcome", "success"));
    assertEquals(1, delta(before, after, "llmproxy_upstream_attempts_total", "provider", "p", "outcome", "transient"));
    assertEquals(5 + 3, delta(before, after, "llmproxy_tokens_total", "model", "m", "type", "prompt"));
    assertEquals(7 + 4, delta(before, after, "llmproxy_tokens_total", "model", "m", "type", "completion"));
    assertEquals(0, after.sum("llmproxy_streams_open"), "the stream was closed");
    assertEquals(0, after.sum("llmproxy_usage_records_dropped_total"));
    assertTrue(after.sum("llmproxy_upstream_connections", "state", "idle") >= 1,
        "the upstream connection the answers came on is kept alive: " + after.text().lines()
            .filter(l -> l.startsWith("llmproxy_upstream_connections")).toList());
    for (String state : List.of("leased", "pending")) {
      assertTrue(after.samples().stream().anyMatch(sample -> sample.name().equals("llmproxy_upstream_connections")
          && state.equals(sample.labels().get("state"))), state + " is shown beside it");
    }
    for (String family : List.of("llmproxy_keys_cooling", "llmproxy_usage_queue_depth", "jvm_memory_used_bytes",
        "jvm_gc_pause_seconds_count", "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds")) {
      assertTrue(after.has(family), family + " missing");
    }

    for (PrometheusScrape.Sample s : after.samples()) {
      for (String value : s.labels().values()) {
        for (String secret : List.of(CLIENT_KEY, UPSTREAM_KEY, MANAGEMENT_KEY, TOKEN, PROMPT, "no-such-model")) {
          assertFalse(value.contains(secret), s + " carries '" + secret + "'");
        }
      }
    }
    assertFalse(after.text().contains(PROMPT) || after.text().contains(UPSTREAM_KEY), "no prompt or key at all");
  }

  @Test
  void aRateLimitedKeyShowsAsCooling() throws Exception {
    try (FakeUpstream own = new FakeUpstream().start();
        GatewayServer cooling = GatewayServer.builder().config("""
            api-keys: ["%s"]
            metrics:
              token: "%s"
            openai-compatibility:
              - name: q
                base-url: %s
                api-key-entries: [{api-key: "sk-q-0123456789"}]
                models: [{name: m}]
            """.formatted(CLIENT_KEY, TOKEN, own.baseUrl())).build().start()) {
      assertEquals(0, scrape(cooling).sum("llmproxy_keys_cooling"));
      own.respondWith(r -> UpstreamResponse.rateLimited(Duration.ofMinutes(5)));
      assertEquals(429, chat(cooling, "m", false).statusCode());
      PrometheusScrape after = scrape(cooling);
      assertEquals(1, after.sum("llmproxy_keys_cooling"));
      assertEquals(1, after.sum("llmproxy_upstream_attempts_total", "provider", "q", "outcome", "rate_limit"));
    }
  }

  @Test
  void managementKeyOrScraperTokenOpenMetricsAndNothingElse() throws Exception {
    assertEquals(401, metrics(gateway).statusCode(), "no credentials");
    assertEquals(401, metrics(gateway, "Authorization", bearer("wrong-token")).statusCode());
    assertEquals(401, metrics(gateway, "Authorization", bearer(CLIENT_KEY)).statusCode(), "a client key is not enough");
    HttpResponse<String> byKey = metrics(gateway, "Authorization", bearer(MANAGEMENT_KEY));
    assertEquals(200, byKey.statusCode(), byKey.body());
    assertTrue(byKey.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    assertEquals(200, metrics(gateway, "X-Management-Key", MANAGEMENT_KEY).statusCode());
    assertEquals(200, metrics(gateway, "Authorization", bearer(TOKEN)).statusCode());

    assertEquals(401, http.get(gateway.uri("/v0/management/usage"), "Authorization", bearer(TOKEN)).statusCode(),
        "the scraper token opens no management route");
    assertEquals(401, http.get(gateway.uri("/v1/models"), "Authorization", bearer(TOKEN)).statusCode(),
        "nor the data plane");
  }

  @Test
  void withoutManagementOrTokenMetricsIsNotThere() throws Exception {
    try (GatewayServer plain = GatewayServer.builder().config(config("")).build().start()) {
      assertEquals(404, metrics(plain).statusCode());
      assertEquals(404, metrics(plain, "Authorization", bearer(TOKEN)).statusCode());
    }
    try (GatewayServer tokenOnly = GatewayServer.builder().config(config("metrics:\n  token: \"" + TOKEN + "\"\n"))
        .build().start()) {
      assertEquals(401, metrics(tokenOnly).statusCode());
      assertEquals(200, metrics(tokenOnly, "Authorization", bearer(TOKEN)).statusCode());
      assertEquals(404, http.get(tokenOnly.uri("/v0/management/usage"), "Authorization", bearer(TOKEN)).statusCode(),
          "management stays off");
    }
  }

  private static String[] with(String[] labels, String... more) {
    String[] all = java.util.Arrays.copyOf(labels, labels.length + more.length);
    System.arraycopy(more, 0, all, labels.length, more.length);
    return all;
  }

  private static long delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
    return Math.round(after.sum(name, labels) - before.sum(name, labels));
  }
}
