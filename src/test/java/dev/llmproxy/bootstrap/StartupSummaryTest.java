package dev.llmproxy.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.routing.RoutingTable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupSummaryTest {
  private static final String YAML = """
      api-keys: ["client-key-secret-1"]
      client-auth: both
      client-role: llm-proxy-user
      proxy-url: "http://proxyuser:proxy-password-9@proxy.internal:3128"
      remote-management:
        secret-key: "management-secret-2"
        auth: key-or-container
      openai-compatibility:
        - name: openrouter
          base-url: "https://openrouter.ai/api/v1"
          api-key-entries:
            - api-key: "sk-or-v1-upstream-secret-3"
            - api-key: "sk-direct-upstream-secret-4"
              proxy-url: direct
          models:
            - name: "anthropic/claude-3.5-sonnet"
              alias: "claude-sonnet"
      """;

  private static String summary(String yaml) throws Exception {
    GatewayConfig config = new ConfigLoader(n -> null).parse(yaml, "test");
    return StartupSummary.of(Path.of("/etc/llm-proxy/config.yaml"), config, RoutingTable.build(config));
  }

  @Test
  void namesClientsManagementProvidersModelsAndProxies() throws Exception {
    assertEquals("""
        Configuration loaded from /etc/llm-proxy/config.yaml: 1 provider(s), 1 model id(s)
          clients: users signed in by the container in role 'llm-proxy-user', or 1 api-key(s)
          management: users in role 'llm-proxy-admin', or key from loopback only
          provider openrouter https://openrouter.ai/api/v1
            key sk-o...et-3 via http://proxyuser:<redacted>@proxy.internal:3128
            key sk-d...et-4 via direct
            model claude-sonnet -> anthropic/claude-3.5-sonnet
          outbound routes: [http://proxyuser:<redacted>@proxy.internal:3128, direct]""", summary(YAML));
  }

  @Test
  void neverShowsASecret() throws Exception {
    String text = summary(YAML);
    for (String secret : List.of("client-key-secret-1", "proxy-password-9", "management-secret-2",
        "sk-or-v1-upstream-secret-3", "sk-direct-upstream-secret-4")) {
      assertFalse(text.contains(secret), secret);
    }
  }

  @Test
  void saysWhenAccessIsOpenAndManagementOff() throws Exception {
    String text = summary("{}");
    assertTrue(text.contains("clients: OPEN (no api-keys)"), text);
    assertTrue(text.contains("management: off (no secret-key)"), text);
  }

  @Test
  void anExcludedModelIsShownAsNotRouted() throws Exception {
    String text = summary("""
        openai-compatibility:
          - name: p
            base-url: "https://p.example/v1"
            excluded-models: ["*-preview"]
            models: [{name: gpt-4o}, {name: gpt-5-preview, alias: next}]
        """);
    assertTrue(text.contains("model gpt-4o -> gpt-4o\n"), text);
    assertTrue(text.contains("model next -> gpt-5-preview (excluded: not routed, not listed)"), text);
  }

  @Test
  void longModelListsStayOnOneScreen() throws Exception {
    StringBuilder yaml = new StringBuilder("""
        openai-compatibility:
          - name: big
            base-url: "https://big.example/v1"
            models:
        """);
    for (int i = 0; i < 20; i++) {
      yaml.append("      - name: m").append(i).append('\n');
    }
    String text = summary(yaml.toString());
    assertTrue(text.contains("... and 12 more model(s)"), text);
    assertFalse(text.contains("model m8 "), text);
  }

  @Test
  void routesSummaryPrefixesEveryUrlWithTheContextPath() {
    String root = GatewayContextListener.routesSummary("", dev.llmproxy.relay.Endpoints.standard(), true);
    assertTrue(root.startsWith("llm-proxy started at context path '/'"), root);
    assertTrue(root.contains("\n  POST /v1/chat/completions"), root);
    String app = GatewayContextListener.routesSummary("/llm-proxy", dev.llmproxy.relay.Endpoints.standard(), true);
    assertTrue(app.startsWith("llm-proxy started at context path '/llm-proxy'"), app);
    for (String line : app.lines().skip(1).toList()) {
      assertTrue(line.matches("  (POST|GET |\\* {3}) /llm-proxy/.*"), line);
    }
  }

  @Test
  void routesSummaryNamesTheManagementApiAndWhetherItIsOn() {
    assertTrue(GatewayContextListener.routesSummary("/llm-proxy", dev.llmproxy.relay.Endpoints.standard(), true)
        .contains("\n  *    /llm-proxy/v0/management/* (management API)\n"));
    assertTrue(GatewayContextListener.routesSummary("", dev.llmproxy.relay.Endpoints.standard(), false)
        .contains("\n  *    /v0/management/* (management API; off, 404, until remote-management has a secret-key)\n"));
  }
}
