package dev.llmproxy.routing;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.GatewayConfig;
import java.util.Map;

/** Builds configs from inline YAML for routing tests. */
final class RoutingFixtures {
  private RoutingFixtures() {}

  static GatewayConfig config(String yaml) {
    try {
      return new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test.yaml");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
