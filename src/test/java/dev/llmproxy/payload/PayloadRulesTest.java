package dev.llmproxy.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.config.ConfigLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules as a CLIProxyAPI file writes them, applied to request bodies. */
class PayloadRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PayloadRequest GPT_FROM_OPENAI = new PayloadRequest(List.of("gpt-5", "house"), "openai",
      name -> null);

  private static PayloadRules rules(String yaml) throws Exception {
    return new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "payload.yaml").payload();
  }

  private static ObjectNode body(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
  }

  @Test
  void defaultsFillWhatIsMissingOverridesReplaceAndFiltersRemove() throws Exception {
    PayloadRules rules = rules("""
        payload:
          default:
            - models: [{name: "gpt-*"}]
              params: {max_tokens: 512, temperature: 0.2}
          override:
            - models: [{name: "gpt-5"}]
              params: {"reasoning.effort": high}
          filter:
            - models: [{name: "*"}]
              params: [stream_options, "metadata.internal"]
        """);
    ObjectNode body = body("{'model':'gpt-5','temperature':1,'reasoning':{'effort':'low'},"
        + "'stream_options':{'include_usage':true},'metadata':{'internal':1,'kept':2}}");

    assertTrue(rules.apply(body, GPT_FROM_OPENAI));

    assertEquals(body("{'model':'gpt-5','temperature':1,'reasoning':{'effort':'high'},'metadata':{'kept':2},"
        + "'max_tokens':512}"), body);
  }

  @Test
  void theFirstDefaultToSetAPathWinsAndTheLastOverride() throws Exception {
    PayloadRules rules = rules("""
        payload:
          default:
            - models: [{name: "gpt-5"}]
              params: {top_p: 0.5}
          default-raw:
            - models: [{name: "gpt-5"}]
              params: {top_p: "0.9", response_format: '{"type":"json_object"}'}
          override:
            - models: [{name: "gpt-5"}]
              params: {seed: 1}
          override-raw:
            - models: [{name: "gpt-5"}]
              params: {seed: "2"}
        """);
    ObjectNode body = body("{'model':'gpt-5'}");

    rules.apply(body, GPT_FROM_OPENAI);

    assertEquals(body("{'model':'gpt-5','top_p':0.5,'response_format':{'type':'json_object'},'seed':2}"), body);
  }

  @Test
  void aRuleNamesTheUpstreamModelOrTheConfiguredOneCaseAside() throws Exception {
    PayloadRules rules = rules("""
        payload:
          override:
            - models: [{name: "HOUSE"}]
              params: {by_alias: true}
            - models: [{name: "gpt-5"}]
              params: {by_upstream: true}
            - models: [{name: "claude-*"}]
              params: {never: true}
        """);
    ObjectNode body = body("{}");

    rules.apply(body, GPT_FROM_OPENAI);

    assertEquals(body("{'by_alias':true,'by_upstream':true}"), body);
  }

  @Test
  void aRuleCanAskForTheClientsDialectAndHeaders() throws Exception {
    PayloadRules rules = rules("""
        payload:
          override:
            - models: [{name: "*", from-protocol: claude}]
              params: {from_claude: true}
            - models: [{name: "*", from-protocol: openai-responses}]
              params: {from_responses: true}
            - models: [{name: "*", headers: {X-Client-Tier: "tenant-*"}}]
              params: {tiered: true}
        """);
    PayloadRequest claude = new PayloadRequest(List.of("gpt-5"), "claude",
        Map.of("X-Client-Tier", "tenant-7")::get);
    ObjectNode body = body("{}");

    rules.apply(body, claude);

    assertEquals(body("{'from_claude':true,'tiered':true}"), body);
    assertEquals(List.of("X-Client-Tier"), List.copyOf(rules.headerNames()));
    assertFalse(rules.mayApply(new PayloadRequest(List.of("gpt-5"), "gemini", name -> "other")));
  }

  @Test
  void aRuleForAnotherUpstreamProtocolNeverApplies() throws Exception {
    PayloadRules rules = rules("""
        payload:
          override:
            - models: [{name: "*", protocol: gemini}]
              params: {never: true}
            - models: [{name: "*", protocol: OpenAI}]
              params: {always: true}
        """);
    ObjectNode body = body("{}");

    rules.apply(body, GPT_FROM_OPENAI);

    assertEquals(body("{'always':true}"), body);
  }

  @Test
  void conditionsOnTheBodyDecideToo() throws Exception {
    PayloadRules rules = rules("""
        payload:
          override:
            - models:
                - name: "*"
                  match: [{"metadata.client": codex}]
                  not-match: [{"metadata.mode": dev}]
                  exist: ['tools.#(type=="web_search").type']
                  not-exist: [metadata.disable_payload]
              params: {matched: true}
        """);
    ObjectNode matching = body("{'metadata':{'client':'codex','mode':'prod'},'tools':[{'type':'web_search'}]}");
    ObjectNode dev = body("{'metadata':{'client':'codex','mode':'dev'},'tools':[{'type':'web_search'}]}");
    ObjectNode noTool = body("{'metadata':{'client':'codex'},'tools':[{'type':'function'}]}");
    ObjectNode disabled = body("{'metadata':{'client':'codex','disable_payload':true},'tools':[{'type':'web_search'}]}");

    assertTrue(rules.apply(matching, GPT_FROM_OPENAI));
    assertFalse(rules.apply(dev, GPT_FROM_OPENAI));
    assertFalse(rules.apply(noTool, GPT_FROM_OPENAI));
    assertFalse(rules.apply(disabled, GPT_FROM_OPENAI));
    assertEquals(true, matching.get("matched").booleanValue());
  }

  @Test
  void aQueryInAParamTouchesEveryElementItChooses() throws Exception {
    PayloadRules rules = rules("""
        payload:
          override:
            - models: [{name: "*"}]
              params: {'tools.#(type=="function")#.function.strict': true}
          filter:
            - models: [{name: "*"}]
              params: ['messages.#(role=="system")#']
        """);
    ObjectNode body = body("{'messages':[{'role':'system'},{'role':'user'},{'role':'system'}],"
        + "'tools':[{'type':'function','function':{}},{'type':'web'},{'type':'function','function':{}}]}");

    rules.apply(body, GPT_FROM_OPENAI);

    assertEquals(body("{'messages':[{'role':'user'}],'tools':[{'type':'function','function':{'strict':true}},"
        + "{'type':'web'},{'type':'function','function':{'strict':true}}]}"), body);
  }

  @Test
  void yamlsNullIsJsonsNullToSetAndToMatch() throws Exception {
    PayloadRules rules = rules("""
        payload:
          override:
            - models: [{name: "*", match: [{"metadata.tier": null}]}]
              params: {seed: null}
        """);
    ObjectNode explicitNull = body("{'metadata':{'tier':null},'seed':7}");
    ObjectNode missing = body("{'seed':7}");

    assertTrue(rules.apply(explicitNull, GPT_FROM_OPENAI));
    assertFalse(rules.apply(missing, GPT_FROM_OPENAI), "a null to match is no 'is there' test");
    assertEquals(body("{'metadata':{'tier':null},'seed':null}"), explicitNull);
  }

  @Test
  void nothingApplicableLeavesTheBodyAlone() throws Exception {
    PayloadRules rules = rules("""
        payload:
          default:
            - models: [{name: "gpt-5"}]
              params: {temperature: 0.2}
        """);
    ObjectNode body = body("{'temperature':1}");

    assertFalse(rules.apply(body, GPT_FROM_OPENAI), "the path is there: a default leaves it");
    assertEquals(body("{'temperature':1}"), body);
    assertTrue(PayloadRules.NONE.isEmpty());
  }
}
