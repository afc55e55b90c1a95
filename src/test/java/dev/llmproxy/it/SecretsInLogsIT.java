package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.LogCapture;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.UpstreamResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With debug on, every routing decision is logged, and no key or prompt ever appears in clear. */
class SecretsInLogsIT {
  private static final String UPSTREAM_KEY = "sk-or-v1-0123456789abcdefb780";
  private static final String PROXY_PASSWORD = "pr0xy-pa55word";
  private static final String PROMPT = "my very private prompt";

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      debug: true
      openai-compatibility:
        - name: openrouter
          base-url: %s
          api-key-entries:
            - api-key: %s
            - api-key: sk-second-key-0000
              proxy-url: "socks5://user:%s@127.0.0.1:1"
          models: [{name: anthropic/claude-3.5-sonnet, alias: claude-sonnet}]
      """.formatted(upstream.baseUrl(), UPSTREAM_KEY, PROXY_PASSWORD));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @Test
  void debugLogsRoutingDecisionsWithMaskedKeysOnly() {
    try (LogCapture logs = new LogCapture()) {
      String body = "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
      for (int i = 0; i < 2; i++) {
        client.post("/v1/chat/completions", body);
      }
      upstream.respondWith(r -> UpstreamResponse.error(500, "server_error", "upstream says " + UPSTREAM_KEY));
      client.post("/v1/chat/completions", body);
      client.send(client.request("/v1/models").header("Authorization", "Bearer wrong-client-key").GET().build());

      List<String> lines = logs.lines();
      assertTrue(lines.stream().anyMatch(l -> l.contains("route provider=openrouter key=sk-o...b780")
          && l.contains("model=anthropic/claude-3.5-sonnet") && l.contains("status=200")), String.join("", lines));
      for (String line : lines) {
        for (String secret : List.of(UPSTREAM_KEY, "sk-second-key-0000", PROXY_PASSWORD, "team-key-1",
            "wrong-client-key", PROMPT)) {
          assertFalse(line.contains(secret), "leaked " + secret + " in: " + line);
        }
      }
    }
  }

  @Test
  void startupSummaryMasksKeysAndProxyPasswords() {
    try (LogCapture logs = new LogCapture();
        GatewayServer other = GatewayServer.builder().config("""
            api-keys: ["team-key-1"]
            openai-compatibility:
              - name: openrouter
                base-url: %s
                api-key-entries:
                  - api-key: %s
                    proxy-url: "socks5://user:%s@127.0.0.1:1"
                models: [{name: m}]
            """.formatted(upstream.baseUrl(), UPSTREAM_KEY, PROXY_PASSWORD)).build().start()) {
      String all = String.join("", logs.lines());
      assertTrue(all.contains("Configuration loaded"), all);
      assertTrue(all.contains("key sk-o...b780 via socks5://user:<redacted>@127.0.0.1:1"), all);
      assertFalse(all.contains(UPSTREAM_KEY));
      assertFalse(all.contains(PROXY_PASSWORD));
      assertEquals(200, new GatewayClient(other).get("/v1/models").statusCode());
    }
  }
}
