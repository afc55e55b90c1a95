package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code payload:} as the loader binds it: every fault names its YAML path. */
class PayloadConfigTest {
  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  private List<String> errors(String yaml) {
    return assertThrows(ConfigException.class, () -> loader.parse(yaml, "payload.yaml")).problems();
  }

  @Test
  void aPathTheGatewayCannotReadIsAnErrorAtItsPlace() {
    List<String> errors = errors("""
        payload:
          override:
            - models: [{name: "*"}]
              params: {"a..b": 1, 'tools.#(type=="x"': 2}
          filter:
            - models: [{name: "*", exist: ['tools.#(type==web)']}]
              params: [ok.path]
        """);

    assertEquals(3, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("payload.override[0].params[\"a..b\"]: is not a JSON path the gateway can read:"
        + " 'a..b' has an empty key"), errors.toString());
    assertTrue(errors.get(1).startsWith("payload.override[0].params[\"tools.#(type==\"x\"\"]: is not a JSON path"),
        errors.toString());
    assertTrue(errors.get(2).startsWith("payload.filter[0].models[0].exist[0]: is not a JSON path"), errors.toString());
  }

  @Test
  void aRawValueMustBeJson() {
    List<String> errors = errors("""
        payload:
          default-raw:
            - models: [{name: "*"}]
              params: {response_format: '{"type": json_object}'}
        """);

    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("payload.default-raw[0].params[\"response_format\"]: is not valid JSON"),
        errors.toString());
  }

  @Test
  void noRuleMayChangeWhetherTheUpstreamStreams() {
    List<String> errors = errors("""
        payload:
          override:
            - models: [{name: "*"}]
              params: {stream: false}
          filter:
            - models: [{name: "*"}]
              params: [stream]
        """);

    assertEquals(List.of("payload.override[0].params[\"stream\"]: a rule cannot change 'stream': whether the upstream "
        + "streams follows the client's request, and the gateway reads the answer accordingly",
        "payload.filter[0].params[0]: a rule cannot change 'stream': whether the upstream streams follows the client's "
        + "request, and the gateway reads the answer accordingly"), errors);
  }

  @Test
  void wrongShapesAndUnknownKeysAreErrors() {
    List<String> errors = errors("""
        payload:
          override:
            - models: [{name: "*", match: {"a": 1}}]
              params: [a]
              param: {}
          filter:
            - models: [{name: "*", exsit: [a]}]
              params: {a: 1}
        """);

    assertEquals(List.of("payload.override[0].models[0].match: expected a list of mappings but found a mapping",
        "payload.override[0].params: expected a mapping of JSON paths to values but found a list",
        "payload.override[0].param: unknown key; did you mean 'params'?",
        "payload.filter[0].models[0].exsit: unknown key; did you mean 'exist'?",
        "payload.filter[0].params: expected a list but found a mapping"), errors);
  }

  @Test
  void rulesThatCanNeverApplyHereAreWarnings() throws Exception {
    GatewayConfig c = loader.parse("""
        payload:
          override:
            - params: {a: 1}
            - models: [{protocol: openai}, {name: "*", protocol: gemini}, {name: "*", from-protocol: kiro}]
              params: {b: 2}
        """, "payload.yaml");

    assertEquals(List.of("payload.override[0]: has no models and never applies",
        "payload.override[1].models[0]: has no name and never applies",
        "payload.override[1].models[1].protocol: 'gemini' never applies here: every upstream of this gateway speaks "
            + "'openai'",
        "payload.override[1].models[2].from-protocol: 'kiro' is no client dialect and never applies; expected openai, "
            + "responses, claude or gemini"), c.warnings());
    assertEquals(2, c.payload().overrides().size());
  }
}
