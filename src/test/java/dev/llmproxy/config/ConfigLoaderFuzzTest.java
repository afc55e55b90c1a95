package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The config loader takes text from the operator, and through {@code PUT /v0/management/config.yaml}
 * from whoever holds the management key. Whatever the bytes: a config, or a {@link ConfigException}
 * listing at least one problem; never another exception, and the same answer twice. Seeds in
 * {@code ConfigLoaderFuzzTestInputs/}; README says how to fuzz it.
 */
class ConfigLoaderFuzzTest {
  private static final ConfigLoader LOADER = new ConfigLoader(Map.of("UPSTREAM_KEY", "sk-from-env")::get);

  @FuzzTest
  void loadsOrListsItsProblems(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    String first = outcome(text);
    assertEquals(first, outcome(text), "loading is deterministic");
  }

  private static String outcome(String text) {
    try {
      GatewayConfig config = LOADER.parse(text, "fuzz.yaml");
      assertNotNull(config.upstream());
      assertNotNull(config.remoteManagement());
      return "config: " + config.providers().size() + " providers, warnings " + config.warnings();
    } catch (ConfigException e) {
      assertFalse(e.problems().isEmpty(), "a refused file says why");
      return "refused: " + e.problems();
    }
  }
}
