package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.config.ConfigException;
import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.LimitsConfig;
import dev.llmproxy.dialect.ThinkingSuffix;
import dev.llmproxy.routing.DiscoveredModels;
import dev.llmproxy.routing.GatewaySnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestedModelTest {
  private static final ClientIdentity ANYONE = ClientIdentity.ANONYMOUS;
  private static final ClientIdentity ONLY_KIMI = ClientIdentity.user("u",
      new LimitsConfig(List.of("kimi-*"), null, null, null, null, null, false));

  private final GatewaySnapshot snapshot = snapshot("""
      api-keys: [k]
      openai-compatibility:
        - name: p
          base-url: http://127.0.0.1:1/v1
          api-key-entries: [{api-key: x}]
          models:
            - {name: anthropic/claude-sonnet-4, alias: claude-sonnet}
            - {name: kimi-k2-up, alias: kimi-k2}
            - {name: odd-up, alias: "odd(high)"}
        - name: o
          prefix: or
          base-url: http://127.0.0.1:2/v1
          api-key-entries: [{api-key: y}]
          models: [{name: opus-up, alias: claude-opus}]
      """);

  private static GatewaySnapshot snapshot(String yaml) {
    try {
      return GatewaySnapshot.of(new ConfigLoader(n -> null).parse(yaml, "test"), DiscoveredModels.NONE, 0);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private RequestedModel resolve(ClientIdentity client, String asSent) {
    return RequestedModel.resolve(snapshot, client, asSent);
  }

  @Test
  void aConfiguredIdIsItselfWithoutSuffix() {
    RequestedModel r = resolve(ANYONE, "kimi-k2");
    assertEquals("kimi-k2", r.route().id());
    assertNull(r.suffix());
  }

  @Test
  void aSuffixIsSplitOffAConfiguredBaseWithOrWithoutPrefix() {
    RequestedModel r = resolve(ANYONE, "kimi-k2(high)");
    assertEquals("kimi-k2", r.route().id());
    assertEquals(new ThinkingSuffix("kimi-k2", "high"), r.suffix());
    assertEquals("or/claude-opus", resolve(ANYONE, "or/claude-opus(8000)").route().id());
  }

  @Test
  void aConfiguredIdEndingInParenthesesWinsOverTheSuffix() {
    RequestedModel r = resolve(ANYONE, "odd(high)");
    assertEquals("odd(high)", r.route().id());
    assertNull(r.suffix());
  }

  @Test
  void anUnknownBaseOrAnUnknownIdIsNoModel() {
    assertNull(resolve(ANYONE, "gpt-9(high)"));
    assertNull(resolve(ANYONE, "gpt-9"));
    assertNull(resolve(ANYONE, "Kimi-k2(high)"));
  }

  @Test
  void autoIsTheFirstModelTheClientMayUse() {
    assertEquals("claude-sonnet", resolve(ANYONE, "auto").route().id());
    assertEquals("kimi-k2", resolve(ONLY_KIMI, "auto").route().id());
    RequestedModel suffixed = resolve(ONLY_KIMI, "auto(low)");
    assertEquals("kimi-k2", suffixed.route().id());
    assertEquals("low", suffixed.suffix().effort());
  }

  @Test
  void autoIsNoModelForAClientThatMayUseNone() {
    ClientIdentity none = ClientIdentity.user("n", new LimitsConfig(List.of("nothing"), null, null, null, null, null,
        false));
    assertNull(resolve(none, "auto"));
  }

  @Test
  void aModelConfiguredAsAutoIsThatModel() {
    GatewaySnapshot withAuto = snapshot("""
        api-keys: [k]
        openai-compatibility:
          - name: p
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: x}]
            models: [{name: a-up, alias: first}, {name: router-up, alias: auto}]
        """);
    assertEquals("auto", RequestedModel.resolve(withAuto, ANYONE, "auto").route().id());
  }
}
