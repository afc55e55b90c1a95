package dev.llmproxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.routing.DiscoveredModels;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.usage.MemoryUsageStore;
import dev.llmproxy.usage.ModelTokens;
import dev.llmproxy.usage.RequestOutcome;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageGrouping;
import dev.llmproxy.usage.UsageRecord;
import dev.llmproxy.usage.UsageReport;
import dev.llmproxy.usage.UsageStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client's recorded tokens and what they were charged; records without a cost priced by the running config. */
class RecordedSpendTest {
  private static final Instant FROM = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant BEFORE = Instant.parse("2026-05-31T00:00:00Z");

  private static GatewaySnapshot snapshot(String yaml) throws Exception {
    return GatewaySnapshot.of(new ConfigLoader(n -> null).parse(yaml, "test"), DiscoveredModels.NONE, 0);
  }

  @Test
  void pricesRecordsWithoutACostAtTheProviderThatServedThem() throws Exception {
    GatewaySnapshot snapshot = snapshot("""
        openai-compatibility:
          - name: cheap
            base-url: http://127.0.0.1:1/v1
            models: [{name: m, alias: chat, price: {input: 1, output: 2}}]
          - name: dear
            base-url: http://127.0.0.1:2/v1
            models: [{name: m, alias: chat, price: {input: 10, output: 20}}]
        """);
    // Rows written before records kept their cost, as the SQL store answers them.
    UsageStore store = new RowsStore(List.of(new ModelTokens("chat", "cheap", null, 1_000, 2_000, 3_000, null),
        new ModelTokens("chat", "dear", null, 100, 0, 100, null),
        new ModelTokens("gone", "cheap", null, 5, 5, 10, null)));
    RecordedSpend.Spend spend = new RecordedSpend(store, () -> snapshot).of("key team", FROM, BEFORE);
    assertEquals(3_110, spend.tokens(), "a model no longer configured still counts its tokens");
    assertEquals(1_000 * 1_000 + 2_000 * 2_000 + 100 * 10_000, spend.nanoDollars(), "but costs nothing");
  }

  @Test
  void sumsWhatEachModelOfAPoolWasChargedNotTheFirstMembersPrice() throws Exception {
    GatewaySnapshot snapshot = snapshot("""
        openai-compatibility:
          - name: p
            base-url: http://127.0.0.1:1/v1
            models:
              - {name: cheap-model, alias: pool1, price: {input: 1, output: 1}}
              - {name: pricey-model, alias: pool1, price: {input: 100, output: 100}}
        """);
    MemoryUsageStore store = new MemoryUsageStore();
    // 300 tokens at $1/M and 300 at $100/M: $0.0303 live.
    store.append(List.of(record("cheap-model", 100, 200, 300_000), record("pricey-model", 100, 200, 30_000_000)));
    RecordedSpend.Spend spend = new RecordedSpend(store, () -> snapshot).of("key team", FROM, BEFORE);
    assertEquals(600, spend.tokens());
    assertEquals(30_300_000, spend.nanoDollars(), "$0.0303, as the live counter was charged");
  }

  private static UsageRecord record(String upstreamModel, long prompt, long completion, long cost) {
    return UsageRecord.of(Instant.parse("2026-05-05T10:00:00Z"), "key team", "pool1", "p", upstreamModel, "openai",
        "/v1/chat/completions", RequestOutcome.SUCCEEDED, 200, new TokenUsage(prompt, completion,
            prompt + completion), 5, cost, false);
  }

  /** Answers fixed rows for any client and period. */
  private record RowsStore(List<ModelTokens> rows) implements UsageStore {
    @Override
    public void prepare() {}

    @Override
    public void append(List<UsageRecord> batch) {
      throw new UnsupportedOperationException();
    }

    @Override
    public UsageReport report(LocalDate from, LocalDate to, UsageGrouping groupBy) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<ModelTokens> clientTokens(String client, Instant from, Instant before) {
      return rows;
    }

    @Override
    public String describe() {
      return "fixed rows";
    }

    @Override
    public void close() {}
  }
}
