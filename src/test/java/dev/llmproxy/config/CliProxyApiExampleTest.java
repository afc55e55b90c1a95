package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.CommentedYaml;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A CLIProxyAPI user brings their file: CLIProxyAPI's own {@code config.example.yaml}
 * ({@code router-for-me/CLIProxyAPI} at commit a7e3596b7e351d800e58ed29529fbca3d1c18737, kept verbatim as
 * {@code config/cliproxyapi-config.example.yaml}) must load, every key of it llm-proxy does not implement
 * being a warning that names it, never an error.
 */
class CliProxyApiExampleTest {
  private static final String NOT_SUPPORTED = ": is not supported by llm-proxy and is ignored";
  private static final String CONTAINER = ": belongs to the servlet container (configure its connector instead)"
      + " and is ignored";

  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  private static String example() throws IOException {
    try (InputStream in = CliProxyApiExampleTest.class.getResourceAsStream("/config/cliproxyapi-config.example.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void itsExampleLoadsWithAWarningForEachKeyWeDoNotImplement() throws Exception {
    GatewayConfig c = loader.parse(example(), "config.example.yaml");

    assertEquals(List.of(
        "host" + CONTAINER, "port" + CONTAINER, "tls" + CONTAINER,
        "remote-management.disable-control-panel" + NOT_SUPPORTED,
        "remote-management.panel-github-repository" + NOT_SUPPORTED,
        "auth-dir" + NOT_SUPPORTED, "pprof" + NOT_SUPPORTED, "plugins" + NOT_SUPPORTED,
        "commercial-mode" + NOT_SUPPORTED, "logging-to-file" + NOT_SUPPORTED,
        "logs-max-total-size-mb" + NOT_SUPPORTED, "error-logs-max-files" + NOT_SUPPORTED,
        "usage-statistics-enabled" + NOT_SUPPORTED, "redis-usage-queue-retention-seconds" + NOT_SUPPORTED,
        "save-cooldown-status" + NOT_SUPPORTED, "disable-claude-cloak-mode" + NOT_SUPPORTED,
        "claude-code" + NOT_SUPPORTED, "disable-image-generation" + NOT_SUPPORTED,
        "video-result-auth-cache-ttl" + NOT_SUPPORTED, "quota-exceeded" + NOT_SUPPORTED, "codex" + NOT_SUPPORTED,
        "xai" + NOT_SUPPORTED, "ws-auth" + NOT_SUPPORTED), c.warnings());
    assertEquals(List.of("your-api-key-1", "your-api-key-2", "your-api-key-3"), c.apiKeys().stream().map(ClientKeyConfig::key).toList(),
        "what we do implement");
    assertEquals(3, c.requestRetry());
    assertEquals(false, c.routing().sessionAffinity());
    assertEquals(java.time.Duration.ofHours(1), c.routing().sessionAffinityTtl());
  }

  @Test
  void itsExampleWithEveryCommentedBlockUncommentedLoadsWithWarningsOnly() throws Exception {
    String example = example();
    String uncommented = CommentedYaml.uncommentTopLevelBlocks(example);

    GatewayConfig c = loader.parse(uncommented, "config.example.yaml, uncommented");

    List<String> implemented = List.of("streaming", "openai-compatibility", "payload");
    for (String key : CommentedYaml.commentedTopLevelKeys(example)) {
      if (!implemented.contains(key)) {
        assertTrue(c.warnings().contains(key + NOT_SUPPORTED), key + " is warned: " + c.warnings());
      }
    }
    assertEquals("openrouter", c.providers().get(0).name());
    assertTrue(c.warnings().contains("openai-compatibility[0].models[0].thinking" + NOT_SUPPORTED), c.warnings()
        .toString());
    assertEquals(List.of("payload.default[0]", "payload.default-raw[0]"),
        c.payload().defaults().stream().map(r -> r.yamlPath()).toList(), "its payload rules are read");
    assertEquals(3, c.payload().overrides().size());
    assertEquals(List.of("generationConfig.thinkingConfig.thinkingBudget", "generationConfig.responseJsonSchema"),
        c.payload().filters().get(0).params().stream().map(p -> p.path().toString()).toList());
    assertTrue(c.warnings().contains("payload.override[1].models[0].protocol: 'codex' never applies here: every "
        + "upstream of this gateway speaks 'openai'"), c.warnings().toString());
  }

  @Test
  void keysOfEarlierReleasesAreWarningsToo() throws Exception {
    GatewayConfig c = loader.parse("""
        gemini-web: {}
        routing:
          session-affinity-subagents: true
        remote-management:
          disable-auto-update-panel: true
        """, "older.yaml");

    assertEquals(List.of("routing.session-affinity-subagents" + NOT_SUPPORTED,
        "remote-management.disable-auto-update-panel" + NOT_SUPPORTED, "gemini-web" + NOT_SUPPORTED), c.warnings());
  }
}
