package dev.llmproxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.routing.DiscoveredModels;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.usage.MemoryUsageStore;
import dev.llmproxy.usage.RequestOutcome;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client's recorded tokens, priced per model and provider as the running config prices them. */
class RecordedSpendTest {
  @Test
  void pricesEachModelAtTheProviderThatServedIt() throws Exception {
    GatewaySnapshot snapshot = GatewaySnapshot.of(new ConfigLoader(n -> null).parse("""
        openai-compatibility:
          - name: cheap
            base-url: http://127.0.0.1:1/v1
            models: [{name: m, alias: chat, price: {input: 1, output: 2}}]
          - name: dear
            base-url: http://127.0.0.1:2/v1
            models: [{name: m, alias: chat, price: {input: 10, output: 20}}]
        """, "test"), DiscoveredModels.NONE, 0);
    MemoryUsageStore store = new MemoryUsageStore();
    store.append(List.of(record("chat", "cheap", 1_000, 2_000), record("chat", "dear", 100, 0),
        record("gone", "cheap", 5, 5), record("chat", "cheap", 0, 0)));
    RecordedSpend.Spend spend = new RecordedSpend(store, () -> snapshot).of("key team",
        Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-05-31T00:00:00Z"));
    assertEquals(3_110, spend.tokens(), "a model no longer configured still counts its tokens");
    assertEquals(1_000 * 1_000 + 2_000 * 2_000 + 100 * 10_000, spend.nanoDollars(), "but costs nothing");
  }

  private static UsageRecord record(String model, String provider, long prompt, long completion) {
    return UsageRecord.of(Instant.parse("2026-05-05T10:00:00Z"), "key team", model, provider, "openai",
        "/v1/chat/completions", RequestOutcome.SUCCEEDED, 200, new TokenUsage(prompt, completion,
            prompt + completion), 5);
  }
}
