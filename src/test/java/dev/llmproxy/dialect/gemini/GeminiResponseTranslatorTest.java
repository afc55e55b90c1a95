package dev.llmproxy.dialect.gemini;

import static dev.llmproxy.testing.TranslatorFixtures.json;
import static dev.llmproxy.testing.TranslatorFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Spec §3, answer: a chat completion becomes a GenerateContentResponse. */
class GeminiResponseTranslatorTest {
  static final GeminiContext CONTEXT = new GeminiContext("r0123456789abcdef01234567", "gemini-2.5-pro");

  private static JsonNode response(String completion) {
    return parse(new String(GeminiResponseTranslator.toResponse(parse(completion), CONTEXT), StandardCharsets.UTF_8));
  }

  private static String completion(String message, String finishReason) {
    return "{\"model\":\"upstream-model\",\"choices\":[{\"index\":0,\"message\":" + message + ",\"finish_reason\":"
        + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
  }

  @Test
  void reasoningTextAndToolCallsBecomeTheGoldenResponse() {
    byte[] answer = GeminiResponseTranslator.toResponse(json("/dialect/chat/completion-tools.json"), CONTEXT);
    assertEquals(json("/dialect/gemini/response-tools.json"), parse(new String(answer, StandardCharsets.UTF_8)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"stop, STOP", "tool_calls, STOP", "length, MAX_TOKENS", "content_filter, SAFETY", ", STOP",
      "something_new, OTHER"})
  void finishReasonsMap(String chat, String gemini) {
    assertEquals(gemini, response(completion("{\"role\":\"assistant\",\"content\":\"x\"}", chat))
        .get("candidates").get(0).get("finishReason").asText());
  }

  @Test
  void functionCallsComeInUpstreamOrderWithParsedArguments() {
    JsonNode parts = response(completion("""
        {"role":"assistant","content":null,"tool_calls":[
          {"id":"c3","type":"function","function":{"name":"zeta","arguments":"{\\"n\\":3}"}},
          {"id":"c1","type":"function","function":{"name":"alpha","arguments":"{\\"n\\":1}"}},
          {"id":"c2","type":"function","function":{"name":"mid","arguments":""}}]}""", "tool_calls"))
        .get("candidates").get(0).get("content").get("parts");
    assertEquals(parse("""
        [{"functionCall":{"id":"c3","name":"zeta","args":{"n":3}}},
         {"functionCall":{"id":"c1","name":"alpha","args":{"n":1}}},
         {"functionCall":{"id":"c2","name":"mid","args":{}}}]"""), parts);
  }

  @Test
  void argumentsThatAreNoJsonObjectMakeAMalformedFunctionCall() {
    JsonNode candidate = response(completion("""
        {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\\"a\\":"}},
          {"id":"c2","type":"function","function":{"name":"g","arguments":"{}"}}]}""", "tool_calls"))
        .get("candidates").get(0);
    assertEquals("MALFORMED_FUNCTION_CALL", candidate.get("finishReason").asText());
    assertEquals(1, candidate.get("content").get("parts").size());
    assertEquals("g", candidate.get("content").get("parts").get(0).get("functionCall").get("name").asText());
  }

  @Test
  void aCallWithoutIdGetsOne() {
    JsonNode parts = response(completion("""
        {"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}""",
        "tool_calls")).get("candidates").get(0).get("content").get("parts");
    assertEquals("call_r0123456789abcdef01234567_0_0", parts.get(0).get("functionCall").get("id").asText());
  }

  @Test
  void reasoningIsAThoughtPartBeforeTheText() {
    assertEquals(parse("[{\"text\":\"why\",\"thought\":true},{\"text\":\"because\"}]"), response(completion(
        "{\"role\":\"assistant\",\"reasoning\":\"why\",\"content\":\"because\"}", "stop"))
        .get("candidates").get(0).get("content").get("parts"));
  }

  @Test
  void usageMetadataSeparatesThoughtsAndCountsTheCache() {
    assertEquals(parse("""
        {"promptTokenCount":100,"candidatesTokenCount":30,"totalTokenCount":150,"cachedContentTokenCount":64,
         "thoughtsTokenCount":20}"""), response("""
        {"choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150,
          "prompt_tokens_details":{"cached_tokens":64},"completion_tokens_details":{"reasoning_tokens":20}}}""")
        .get("usageMetadata"));
  }

  @Test
  void noUsageMeansNoUsageMetadata() {
    assertFalse(response(completion("{\"role\":\"assistant\",\"content\":\"x\"}", "stop")).has("usageMetadata"));
  }

  @Test
  void modelVersionIsTheUpstreamsModelElseTheClients() {
    assertEquals("upstream-model", response(completion("{\"role\":\"assistant\",\"content\":\"x\"}", "stop"))
        .get("modelVersion").asText());
    assertEquals("gemini-2.5-pro", response("{\"choices\":[{\"index\":0,\"message\":{\"content\":\"x\"}}]}")
        .get("modelVersion").asText());
    assertEquals(CONTEXT.responseId(), response("{\"choices\":[]}").get("responseId").asText());
  }

  @Test
  void eachChoiceIsACandidate() {
    JsonNode candidates = response("""
        {"choices":[{"index":0,"message":{"content":"a"},"finish_reason":"stop"},
                    {"index":1,"message":{"content":"b"},"finish_reason":"length"}]}""").get("candidates");
    assertEquals(2, candidates.size());
    assertEquals(1, candidates.get(1).get("index").asInt());
    assertEquals("b", candidates.get(1).get("content").get("parts").get(0).get("text").asText());
    assertEquals("MAX_TOKENS", candidates.get(1).get("finishReason").asText());
    assertEquals("model", candidates.get(0).get("content").get("role").asText());
  }
}
