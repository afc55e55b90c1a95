package dev.llmproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker must pass a good stream and catch each way a stream can break what Gemini clients expect. */
class GeminiStreamGrammarTest {
  private static JsonNode response(String parts, String finishReason, boolean usage) {
    return TranslatorFixtures.parse("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":" + parts + "},"
        + (finishReason == null ? "" : "\"finishReason\":\"" + finishReason + "\",") + "\"index\":0}],"
        + (usage ? "\"usageMetadata\":{\"totalTokenCount\":3}," : "") + "\"modelVersion\":\"m\",\"responseId\":\"r\"}");
  }

  private static String failure(JsonNode... elements) {
    return assertThrows(AssertionError.class, () -> GeminiStreamGrammar.check(List.of(elements))).getMessage();
  }

  @Test
  void aWellFormedStreamPasses() {
    GeminiStreamGrammar.Outcome outcome = GeminiStreamGrammar.check(List.of(
        response("[{\"text\":\"hm\",\"thought\":true}]", null, false), response("[{\"text\":\"Hi\"}]", null, false),
        response("[{\"functionCall\":{\"id\":\"c\",\"name\":\"f\",\"args\":{}}}]", "STOP", true)));
    assertEquals("Hi", outcome.text());
    assertEquals("hm", outcome.thoughts());
    assertEquals(1, outcome.functionCalls().size());
    assertEquals("STOP", outcome.finishReason());
  }

  @Test
  void aFinishReasonOrUsageBeforeTheEndFails() {
    assertTrue(failure(response("[]", "STOP", false), response("[]", "STOP", false)).contains("finishReason before"));
    assertTrue(failure(response("[]", null, true), response("[]", "STOP", true)).contains("usageMetadata before"));
  }

  @Test
  void aStreamEndingWithoutFinishReasonFails() {
    assertTrue(failure(response("[{\"text\":\"x\"}]", null, false)).contains("no finishReason"));
  }

  @Test
  void argumentsThatAreNoObjectFail() {
    assertTrue(failure(response("[{\"functionCall\":{\"name\":\"f\",\"args\":\"{}\"}}]", "STOP", false))
        .contains("args must be an object"));
  }

  @Test
  void anErrorObjectMustBeLastAndComplete() {
    JsonNode error = TranslatorFixtures.parse("{\"error\":{\"code\":500,\"message\":\"x\",\"status\":\"INTERNAL\"}}");
    GeminiStreamGrammar.Outcome failed = GeminiStreamGrammar.check(List.of(response("[]", null, false), error));
    assertEquals(500, failed.error().get("code").asInt());
    assertTrue(failure(error, response("[]", "STOP", false)).contains("not the last"));
    assertTrue(failure(TranslatorFixtures.parse("{\"error\":{\"message\":\"x\"}}"))
        .contains("code, message and status"));
  }
}
