package dev.llmproxy.dialect.responses;

import static dev.llmproxy.testing.TranslatorFixtures.json;
import static dev.llmproxy.testing.TranslatorFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §2, non-stream: a chat completion becomes a Response object. */
class ResponsesResponseTranslatorTest {

  private static JsonNode response(String completion) {
    return parse(new String(ResponsesResponseTranslator.toResponse(parse(completion), TestContexts.codex()),
        StandardCharsets.UTF_8));
  }

  private static String completion(String message, String finishReason) {
    return "{\"object\":\"chat.completion\",\"model\":\"upstream-name\",\"choices\":[{\"index\":0,\"message\":"
        + message + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
  }

  @Test
  void reasoningTextAndToolCallsBecomeTheGoldenResponse() {
    byte[] answer = ResponsesResponseTranslator.toResponse(
        json("/dialect/chat/completion-tools.json"), TestContexts.codex());
    assertEquals(json("/dialect/responses/response-tools.json"), parse(new String(answer, StandardCharsets.UTF_8)));
  }

  @Test
  void outputItemsComeInOrderReasoningMessageThenCallsInUpstreamOrder() {
    JsonNode output = response(completion("""
        {"role":"assistant","content":"text","reasoning":"thought","tool_calls":[
          {"id":"c_b","type":"function","function":{"name":"b","arguments":"{}"}},
          {"id":"c_a","type":"function","function":{"name":"a","arguments":"{}"}}]}""", "tool_calls"))
        .get("output");
    assertEquals(List.of("reasoning", "message", "function_call", "function_call"), types(output));
    assertEquals("thought", output.get(0).get("summary").get(0).get("text").asText());
    assertEquals("c_b", output.get(2).get("call_id").asText());
    assertEquals("c_a", output.get(3).get("call_id").asText());
  }

  @Test
  void aPlainAnswerIsOneCompletedMessageNamingTheClientsModel() {
    JsonNode response = response(completion("{\"role\":\"assistant\",\"content\":\"Hi\"}", "stop"));
    assertEquals("completed", response.get("status").asText());
    assertEquals("deepseek-chat", response.get("model").asText());
    assertEquals("response", response.get("object").asText());
    assertEquals(TestContexts.RESPONSE_ID, response.get("id").asText());
    assertEquals(1_760_000_000L, response.get("created_at").asLong());
    assertTrue(response.get("incomplete_details").isNull());
    assertEquals(parse("""
        [{"id":"msg_0123456789abcdef_0","type":"message","status":"completed","role":"assistant",
          "content":[{"type":"output_text","text":"Hi","annotations":[]}]}]"""), response.get("output"));
  }

  @Test
  void lengthMakesTheResponseIncompleteForMaxOutputTokens() {
    JsonNode response = response(completion("{\"role\":\"assistant\",\"content\":\"Once upon a\"}", "length"));
    assertEquals("incomplete", response.get("status").asText());
    assertEquals("max_output_tokens", response.get("incomplete_details").get("reason").asText());
    assertEquals("incomplete", response.get("output").get(0).get("status").asText());
  }

  @Test
  void contentFilterMakesTheResponseIncompleteForContentFilter() {
    JsonNode response = response(completion("{\"role\":\"assistant\",\"content\":\"\"}", "content_filter"));
    assertEquals("incomplete", response.get("status").asText());
    assertEquals("content_filter", response.get("incomplete_details").get("reason").asText());
  }

  @Test
  void aCallToACustomToolGoesBackAsACustomToolCallWithItsText() {
    JsonNode item = response(completion("""
        {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
          "function":{"name":"apply_patch","arguments":"{\\"input\\":\\"*** Begin Patch\\\\n*** End Patch\\"}"}}]}""",
        "tool_calls")).get("output").get(0);
    assertEquals("custom_tool_call", item.get("type").asText());
    assertEquals("c1", item.get("call_id").asText());
    assertEquals("*** Begin Patch\n*** End Patch", item.get("input").asText());
  }

  @Test
  void aCustomToolInputUnderAnotherNameOrNotJsonIsKept() {
    assertEquals("patch", ResponseJson.customInput("{\"patch\":\"patch\"}"));
    assertEquals("*** Begin Patch", ResponseJson.customInput("*** Begin Patch"));
    assertEquals("{\"a\":1,\"b\":2}", ResponseJson.customInput("{\"a\":1,\"b\":2}"));
    assertEquals("", ResponseJson.customInput(""));
  }

  @Test
  void emptyArgumentsBecomeAnEmptyObjectAndAMissingIdIsMadeUp() {
    JsonNode item = response(completion("""
        {"role":"assistant","tool_calls":[{"type":"function","function":{"name":"now","arguments":""}}]}""",
        "tool_calls")).get("output").get(0);
    assertEquals("{}", item.get("arguments").asText());
    assertEquals("call_0123456789abcdef_0", item.get("call_id").asText());
  }

  @Test
  void usageCarriesCachedAndReasoningTokens() {
    JsonNode usage = response("""
        {"choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150,
          "prompt_tokens_details":{"cached_tokens":64},"completion_tokens_details":{"reasoning_tokens":20}}}""")
        .get("usage");
    assertEquals(parse("""
        {"input_tokens":100,"input_tokens_details":{"cached_tokens":64,"cache_write_tokens":0},"output_tokens":50,
         "output_tokens_details":{"reasoning_tokens":20},"total_tokens":150}"""), usage);
  }

  @Test
  void deepSeeksCacheHitTokensCountAsCached() {
    JsonNode usage = response("""
        {"choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":100,"completion_tokens":5,"total_tokens":105,"prompt_cache_hit_tokens":96,
          "prompt_cache_miss_tokens":4}}""").get("usage");
    assertEquals(96, usage.get("input_tokens_details").get("cached_tokens").asInt());
  }

  @Test
  void noUsageFromTheUpstreamIsNullUsage() {
    assertTrue(response(completion("{\"role\":\"assistant\",\"content\":\"x\"}", "stop")).get("usage").isNull());
  }

  @Test
  void aRefusalIsTheMessageText() {
    JsonNode output = response(completion("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't.\"}", "stop"))
        .get("output");
    assertEquals("I can't.", output.get(0).get("content").get(0).get("text").asText());
  }

  @Test
  void anEmptyAnswerHasNoOutputItems() {
    assertEquals(0, response(completion("{\"role\":\"assistant\",\"content\":\"\"}", "stop")).get("output").size());
  }

  private static List<String> types(JsonNode output) {
    return java.util.stream.StreamSupport.stream(output.spliterator(), false).map(i -> i.get("type").asText()).toList();
  }
}
