package dev.llmproxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmproxy.config.GatewayConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private static final String PROVIDERS = """
      openai-compatibility:
        - name: openrouter
          prefix: or
          base-url: http://127.0.0.1:1/v1
          api-key-entries: [{api-key: k1}, {api-key: k2}]
          models:
            - {name: anthropic/claude-3.5-sonnet, alias: claude-sonnet}
            - {name: qwen, alias: smart}
            - {name: glm, alias: smart}
            - {name: gpt-4-turbo}
            - {name: llama-vision}
          excluded-models: ["gpt-4-*", "*-VISION"]
        - name: groq
          base-url: http://127.0.0.1:2/v1
          api-key-entries: [{api-key: g1}]
          models:
            - {name: kimi, alias: smart}
            - {name: llama-3.3-70b-versatile, alias: groq-llama}
        - name: off
          disabled: true
          base-url: http://127.0.0.1:3/v1
          models: [{name: hidden}]
      """;

  private static List<String> ids(RoutingTable t) {
    return t.routes().stream().map(ModelRoute::id).toList();
  }

  @Test
  void listsPrefixedAndBareAliasesPoolsOnceAndHidesExcludedAndDisabled() {
    RoutingTable t = RoutingTable.build(RoutingFixtures.config(PROVIDERS));
    assertEquals(List.of("or/claude-sonnet", "claude-sonnet", "or/smart", "smart", "groq-llama"), ids(t));
    assertEquals("openrouter", t.find("smart").ownedBy(), "first provider owns a shared alias");
    assertNull(t.find("hidden"));
    assertNull(t.find("gpt-4-turbo"));
    assertNull(t.find("or/llama-vision"));
    assertNull(t.find("anthropic/claude-3.5-sonnet"), "the upstream name is not a client id when an alias is set");
  }

  @Test
  void poolCollectsMembersAcrossProvidersAndPrefixedIdOnlyItsProvider() {
    RoutingTable t = RoutingTable.build(RoutingFixtures.config(PROVIDERS));
    assertEquals(List.of("qwen", "glm", "kimi"), t.find("smart").members().stream().map(PoolMember::upstreamModel).toList());
    assertEquals(List.of("qwen", "glm"), t.find("or/smart").members().stream().map(PoolMember::upstreamModel).toList());
  }

  @Test
  void forceModelPrefixHidesBareAliasesOfPrefixedProviders() {
    RoutingTable t = RoutingTable.build(RoutingFixtures.config("force-model-prefix: true\n" + PROVIDERS));
    assertEquals(List.of("or/claude-sonnet", "or/smart", "smart", "groq-llama"), ids(t));
    assertEquals(List.of("kimi"), t.find("smart").members().stream().map(PoolMember::upstreamModel).toList());
  }

  @Test
  void credentialIdsAreStableAcrossRebuildsAndHideTheKey() {
    RoutingTable a = RoutingTable.build(RoutingFixtures.config(PROVIDERS));
    RoutingTable b = RoutingTable.build(RoutingFixtures.config(PROVIDERS));
    var pa = a.find("groq-llama").members().get(0).provider();
    var pb = b.find("groq-llama").members().get(0).provider();
    assertEquals(a.credentials(pa).get(0).id(), b.credentials(pb).get(0).id());
    assertNotNull(a.credentials(pa).get(0).id());
    assertEquals(false, a.credentials(pa).get(0).id().contains("g1"));
  }

  @Test
  void discoveredIdsAreRoutableExceptExcludedAndListedAliasesWin() {
    GatewayConfig config = RoutingFixtures.config("""
        openai-compatibility:
          - name: vllm
            prefix: v
            base-url: http://127.0.0.1:1/v1
            discover-models: true
            models: [{name: real-llama, alias: llama}]
            excluded-models: ["*-embed*", "tiny"]
          - name: listed-only
            base-url: http://127.0.0.1:2/v1
            models: [{name: x}]
        """);
    DiscoveredModels found = new DiscoveredModels(java.util.Map.of(
        "vllm", List.of("llama", "qwen", "bge-embed-v1", "tiny"),
        "listed-only", List.of("ignored")));
    RoutingTable t = RoutingTable.build(config, found);
    assertEquals(List.of("v/llama", "llama", "x", "v/qwen", "qwen"), ids(t));
    assertEquals("real-llama", t.find("llama").members().get(0).upstreamModel(), "the explicit alias wins");
    assertEquals("qwen", t.find("v/qwen").members().get(0).upstreamModel());
    assertNull(t.find("ignored"), "providers with a models list do not discover unless asked");
  }
}
