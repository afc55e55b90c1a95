package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monthly limits survive a restart: a fresh gateway starts a key's month from the durable usage records (the
 * embedded database in the data directory), then counts live.
 */
class MonthlyLimitsRestartIT {
  private static final String KEY = "monthly-key-00000001";

  @RegisterExtension
  static final FakeUpstream upstream = new FakeUpstream();

  @TempDir
  Path data;

  private GatewayServer gateway() {
    return GatewayServer.builder().initParameter("llmproxy.data.dir", data.toString()).config("""
        api-keys:
          - {key: "%s", name: monthly, max-tokens-per-month: 30}
        openai-compatibility:
          - name: p
            base-url: %s
            api-key-entries: [{api-key: sk-upstream}]
            models: [{name: m}]
        """.formatted(KEY, upstream.baseUrl())).build().start();
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
}
