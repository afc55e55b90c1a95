package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryUsageCountersTest {
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

  /** A record charged a nano-dollar per token. */
  static UsageRecord record(String client, String model, RequestOutcome outcome, TokenUsage tokens) {
    return UsageRecord.of(NOW, client, model, "p", model, "openai", "/v1/chat/completions", outcome,
        outcome == RequestOutcome.SUCCEEDED ? 200 : 500, tokens, 12, tokens == null ? 0 : tokens.total(), false);
  }

  @Test
  void countsPerClientAndModelWithTokensOfAnswersThatReportedThemAndTheirCost() {
    MemoryUsageCounters counters = new MemoryUsageCounters(Clock.systemUTC());
    counters.record(record("user alice", "gpt", RequestOutcome.SUCCEEDED, new TokenUsage(10, 5, 15, 4, 2)));
    counters.record(record("user alice", "gpt", RequestOutcome.SUCCEEDED, null));
    counters.record(record("user alice", "gpt", RequestOutcome.FAILED, null));
    counters.record(record("key sk-t...abcd", "gpt", RequestOutcome.CANCELLED, null));
    assertEquals(List.of(
        new UsageCounters.Row("key sk-t...abcd", "gpt", new UsageTotals(1, 0, 0, 1, 0, 0, 0, 0, 0)),
        new UsageCounters.Row("user alice", "gpt", new UsageTotals(3, 2, 1, 0, 10, 5, 4, 2, 15, 15, 0))),
        counters.snapshot());
    counters.reset();
    assertEquals(List.of(), counters.snapshot());
  }
}
