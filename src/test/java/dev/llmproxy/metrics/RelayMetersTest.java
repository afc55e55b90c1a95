package dev.llmproxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.routing.Cooldowns;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RelayMetersTest {
  private static final String CHAT = "/v1/chat/completions";

  @Test
  void eachReportBecomesTheSeriesDesignNames() {
    try (GatewayMetrics metrics = new GatewayMetrics(null, new dev.llmproxy.routing.LocalCooldowns(Clock.systemUTC()))) {
      RelayMetrics relay = metrics.relay();
      relay.requestFinished("openai", CHAT, "gpt", 200, TimeUnit.MILLISECONDS.toNanos(300));
      relay.requestFinished("openai", CHAT, "gpt", 200, TimeUnit.MILLISECONDS.toNanos(30));
      relay.requestFinished("openai", CHAT, RelayMetrics.NOT_ROUTED, 404, 1000);
      relay.firstByte("openai", CHAT, "gpt", TimeUnit.MILLISECONDS.toNanos(20));
      relay.attemptFinished("openrouter", AttemptOutcome.RATE_LIMIT);
      relay.attemptFinished("openrouter", AttemptOutcome.SUCCESS);
      relay.tokens("gpt", 12, 7);
      relay.tokens("gpt", 3, 0);
      relay.streamOpened();
      relay.streamOpened();
      relay.streamClosed();
      relay.sessionAnswered("kept");
      relay.sessionAnswered("kept");
      relay.sessionAnswered("new");

      String text = metrics.scrape();
      assertSeries(text, "llmproxy_requests_total{dialect=\"openai\",endpoint=\"/v1/chat/completions\",model=\"gpt\","
          + "status=\"200\"} 2.0");
      assertSeries(text, "llmproxy_requests_total{dialect=\"openai\",endpoint=\"/v1/chat/completions\","
          + "model=\"(not routed)\",status=\"404\"} 1.0");
      assertSeries(text, "llmproxy_request_duration_seconds_bucket{dialect=\"openai\",endpoint=\"/v1/chat/completions\","
          + "model=\"gpt\",le=\"0.05\"} 1");
      assertSeries(text, "llmproxy_request_duration_seconds_bucket{dialect=\"openai\",endpoint=\"/v1/chat/completions\","
          + "model=\"gpt\",le=\"0.5\"} 2");
      assertSeries(text, "llmproxy_first_byte_seconds_count{dialect=\"openai\",endpoint=\"/v1/chat/completions\","
          + "model=\"gpt\"} 1");
      assertSeries(text, "llmproxy_upstream_attempts_total{outcome=\"rate_limit\",provider=\"openrouter\"} 1.0");
      assertSeries(text, "llmproxy_upstream_attempts_total{outcome=\"success\",provider=\"openrouter\"} 1.0");
      assertSeries(text, "llmproxy_tokens_total{model=\"gpt\",type=\"prompt\"} 15.0");
      assertSeries(text, "llmproxy_tokens_total{model=\"gpt\",type=\"completion\"} 7.0");
      assertSeries(text, "llmproxy_streams_open 1.0");
      assertSeries(text, "llmproxy_session_affinity_total{outcome=\"kept\"} 2.0");
      assertSeries(text, "llmproxy_session_affinity_total{outcome=\"moved\"} 0.0");
      assertSeries(text, "llmproxy_session_affinity_total{outcome=\"new\"} 1.0");
      assertSeries(text, "llmproxy_keys_cooling 0.0");
      assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM binders");
      assertTrue(text.contains("process_cpu_usage "), "process binders");
    }
  }

  @Test
  void theSameLabelsReuseOneMeter() {
    try (GatewayMetrics metrics = new GatewayMetrics(null, new dev.llmproxy.routing.LocalCooldowns(Clock.systemUTC()))) {
      for (int i = 0; i < 1000; i++) {
        metrics.relay().requestFinished("openai", CHAT, "gpt", 200, 1000);
      }
      assertEquals(1, metrics.registry().find("llmproxy.requests").counters().size());
      assertEquals(1000.0, metrics.registry().get("llmproxy.requests").counter().count());
    }
  }

  private static void assertSeries(String scrape, String line) {
    assertTrue(scrape.lines().anyMatch(l -> l.equals(line)), "missing: " + line + "\nin:\n" + scrape.lines()
        .filter(l -> l.startsWith("llmproxy_")).reduce("", (a, b) -> a + b + "\n"));
  }
}
