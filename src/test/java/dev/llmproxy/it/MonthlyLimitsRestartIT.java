package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.Await;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monthly limits survive a restart: a fresh gateway starts a key's month from the durable usage records (the
 * embedded database in the data directory), then counts live.
 */
class MonthlyLimitsRestartIT {
  private static final String KEY = "monthly-key-00000001";
  private static final String POOL_KEY = "monthly-pool-key-002";
  private static final String SECRET = "management-secret-for-restarts";

  @RegisterExtension
  static final FakeUpstream upstream = new FakeUpstream();

  @TempDir
  Path data;

  private GatewayServer gateway() {
    return GatewayServer.builder().initParameter("llmproxy.data.dir", data.toString()).config("""
        api-keys:
          - {key: "%s", name: monthly, max-tokens-per-month: 30}
          - {key: "%s", name: pooled, max-cost-per-month: 100}
        remote-management:
          secret-key: "%s"
        openai-compatibility:
          - name: p
            base-url: %s
            api-key-entries: [{api-key: sk-upstream}]
            models:
              - {name: m}
              - {name: cheap-model, alias: pool1, price: {input: 1, output: 1}}
              - {name: pricey-model, alias: pool1, price: {input: 100, output: 100}}
        """.formatted(KEY, POOL_KEY, SECRET, upstream.baseUrl())).build().start();
  }

  @Test
  void aRestartedGatewayRemembersWhatTheMonthSpent() {
    try (GatewayServer first = gateway()) {
      assertEquals(200, new GatewayClient(first, KEY).chat("m").statusCode()); // 12 tokens
      assertEquals(200, new GatewayClient(first, KEY).chat("m").statusCode()); // 24
    }
    try (GatewayServer second = gateway()) {
      assertEquals(200, new GatewayClient(second, KEY).chat("m").statusCode(), "24 of 30 used before the restart");
      HttpResponse<String> refused = new GatewayClient(second, KEY).chat("m");
      assertEquals(429, refused.statusCode(), "36 of 30: the records of the first run counted");
      assertTrue(refused.body().contains("\"insufficient_quota\""), refused.body());
    }
    assertEquals(3, upstream.requests().size());
  }

  @Test
  void aRestartedGatewayRemembersWhatEachModelOfAPoolCost() throws Exception {
    BigDecimal live;
    try (GatewayServer first = gateway()) {
      for (int i = 0; i < 4; i++) {
        assertEquals(200, new GatewayClient(first, POOL_KEY).chat("pool1").statusCode());
      }
      long pricey = upstream.requests().stream().filter(r -> "pricey-model".equals(r.model())).count();
      assertTrue(pricey > 0 && pricey < 4, "both models of the pool answered: " + pricey + " of 4 pricey");
      // 12 tokens a request: $0.000012 at $1/M, $0.0012 at $100/M.
      BigDecimal expected = new BigDecimal("0.0012").multiply(BigDecimal.valueOf(pricey))
          .add(new BigDecimal("0.000012").multiply(BigDecimal.valueOf(4 - pricey)));
      live = awaitCostUsed(first, expected);
    }
    try (GatewayServer second = gateway()) {
      assertEquals(live.stripTrailingZeros(), costUsed(second).stripTrailingZeros(), "the month restored at what each request cost, not at the "
          + "first member's price");
    }
  }

  private static BigDecimal awaitCostUsed(GatewayServer gateway, BigDecimal expected) {
    Await.until(Duration.ofSeconds(5), () -> expected.compareTo(costUsed(gateway)) == 0,
        "the cost used reaches " + expected);
    return costUsed(gateway);
  }

  private static BigDecimal costUsed(GatewayServer gateway) {
    return new GatewayClient(gateway, SECRET).apiKeyUsage("pooled").at("/max-cost-per-month/used").decimalValue();
  }
}
