package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageMinuteRowTest {
  private static UsageRecord ended(String time, RequestOutcome outcome, int status, long prompt, long completion) {
    return new UsageRecord(Instant.parse(time), "user alice", "gpt", "p1", "gpt-1", "openai", "/v1/chat/completions",
        outcome, status, prompt, completion, 1, 2, prompt + completion, 100, 7, false);
  }

  @Test
  void requestsOfOneMinuteAndKindBecomeOneRowWithTheirSums() {
    List<UsageMinuteRow> rows = UsageMinuteRow.rollUp(List.of(
        ended("2026-12-05T12:00:00Z", RequestOutcome.SUCCEEDED, 200, 10, 4),
        ended("2026-12-05T12:00:59.999Z", RequestOutcome.SUCCEEDED, 200, 20, 6)));
    assertEquals(List.of(new UsageMinuteRow(new UsageMinuteRow.Kind(Instant.parse("2026-12-05T12:00:00Z"),
        "user alice", "gpt", "p1", "gpt-1", "openai", "/v1/chat/completions", RequestOutcome.SUCCEEDED, 200),
        new UsageTotals(2, 2, 0, 0, 30, 10, 2, 4, 40, 14, 0), 200)), rows);
  }

  @Test
  void eachModelOfAPoolAtOneProviderIsItsOwnRowWithItsOwnCost() {
    UsageRecord cheap = ended("2026-12-05T12:00:00Z", RequestOutcome.SUCCEEDED, 200, 10, 4);
    UsageRecord pricey = new UsageRecord(cheap.time(), "user alice", "gpt", "p1", "gpt-2", "openai",
        "/v1/chat/completions", RequestOutcome.SUCCEEDED, 200, 10, 4, 1, 2, 14, 100, 700, false);
    List<UsageMinuteRow> rows = UsageMinuteRow.rollUp(List.of(cheap, pricey, cheap));
    assertEquals(List.of("gpt-1", "gpt-2"), rows.stream().map(r -> r.kind().upstreamModel()).toList());
    assertEquals(List.of(14L, 700L), rows.stream().map(r -> r.totals().costNanoDollars()).toList());
  }

  @Test
  void anotherMinuteOutcomeStatusOrClientIsAnotherRowInTheOrderTheyCame() {
    UsageRecord base = ended("2026-12-05T12:00:10Z", RequestOutcome.SUCCEEDED, 200, 1, 1);
    List<UsageMinuteRow> rows = UsageMinuteRow.rollUp(List.of(base,
        ended("2026-12-05T12:01:00Z", RequestOutcome.SUCCEEDED, 200, 1, 1),
        ended("2026-12-05T12:00:20Z", RequestOutcome.FAILED, 502, 0, 0),
        ended("2026-12-05T12:00:30Z", RequestOutcome.FAILED, 429, 0, 0),
        new UsageRecord(base.time(), "user bob", "gpt", "p1", "gpt-1", "openai", "/v1/chat/completions",
            RequestOutcome.SUCCEEDED, 200, 1, 1, 1, 2, 2, 100, 7, false),
        new UsageRecord(base.time(), "user alice", "gpt", "p1", "gpt-1", "anthropic", "/v1/messages",
            RequestOutcome.SUCCEEDED, 200, 1, 1, 1, 2, 2, 100, 7, false),
        base));
    assertEquals(6, rows.size(), rows.toString());
    assertEquals(2, rows.get(0).totals().requests(), "the first and the last record share a row");
    assertEquals(List.of("12:00", "12:01", "12:00", "12:00", "12:00", "12:00"),
        rows.stream().map(r -> r.kind().minute().toString().substring(11, 16)).toList());
    assertEquals(List.of(200, 200, 502, 429, 200, 200), rows.stream().map(r -> r.kind().status()).toList());
  }

  @Test
  void aRowBelongsToTheUtcDayOfItsMinute() {
    UsageMinuteRow row = UsageMinuteRow.rollUp(
        List.of(ended("2026-12-05T23:59:59.999Z", RequestOutcome.CANCELLED, 499, 0, 0))).get(0);
    assertEquals("2026-12-05", row.kind().day().toString());
    assertEquals(Instant.parse("2026-12-05T23:59:00Z"), row.kind().minute());
  }
}
