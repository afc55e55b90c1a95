package dev.llmproxy.dialect.gemini;

import static dev.llmproxy.testing.TranslatorFixtures.json;
import static dev.llmproxy.testing.TranslatorFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.dialect.TokenCounter;
import dev.llmproxy.dialect.TranslationException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Spec §4: countTokens is answered locally and grows with everything the model reads. */
class GeminiTokenCountTest {
  private static final String TEXT = "{\"role\":\"user\",\"parts\":[{\"text\":\"How warm is Paris today?\"}]}";
  private static final String CALL = "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
      + "\"args\":{\"city\":\"Paris\"}}}]}";
  private static final String RESPONSE = "{\"role\":\"user\",\"parts\":[{\"functionResponse\":"
      + "{\"name\":\"get_weather\",\"response\":{\"output\":\"21 degrees and sunny\"}}}]}";
  private static final String IMAGE = "{\"role\":\"user\",\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\","
      + "\"data\":\"iVBORw0KGgo=\"}}]}";

  private static int count(String body) {
    return GeminiTokenCount.count(parse(body));
  }

  @Test
  void plainTextCountsItsTokens() {
    assertEquals(TokenCounter.count("How warm is Paris today?"), count("{\"contents\":[" + TEXT + "]}"));
  }

  @Test
  void theCountGrowsWithEachPartSystemInstructionAndTool() {
    int text = count("{\"contents\":[" + TEXT + "]}");
    int call = count("{\"contents\":[" + TEXT + "," + CALL + "]}");
    int response = count("{\"contents\":[" + TEXT + "," + CALL + "," + RESPONSE + "]}");
    int image = count("{\"contents\":[" + TEXT + "," + CALL + "," + RESPONSE + "," + IMAGE + "]}");
    assertTrue(text > 0);
    assertTrue(call > text, "function call");
    assertTrue(response > call, "function response");
    assertEquals(response + GeminiTokenCount.MEDIA_PART_TOKENS, image);
    String request = "\"contents\":[" + TEXT + "," + CALL + "," + RESPONSE + "," + IMAGE + "]";
    int system = count("{\"systemInstruction\":{\"parts\":[{\"text\":\"You are a weather bot.\"}]}," + request + "}");
    assertTrue(system > image, "system instruction");
    int tools = count("{\"systemInstruction\":{\"parts\":[{\"text\":\"You are a weather bot.\"}]}," + request
        + ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"description\":\"Current weather.\","
        + "\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"}}}}]}]}");
    assertTrue(tools > system, "tools");
  }

  @Test
  void aGenerateContentRequestIsCountedWhole() {
    String inner = "{\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},\"contents\":[" + TEXT + "]}";
    assertEquals(count(inner), count("{\"generateContentRequest\":" + inner + "}"));
    assertTrue(count(inner) > count("{\"contents\":[" + TEXT + "]}"));
  }

  @Test
  void theGeminiCliRequestCountsAndTheBodyIsTotalTokens() {
    byte[] body = GeminiTokenCount.body(json("/dialect/gemini/gemini-cli-request.json"));
    int total = parse(new String(body, StandardCharsets.UTF_8)).get("totalTokens").asInt();
    assertEquals(GeminiTokenCount.count(json("/dialect/gemini/gemini-cli-request.json")), total);
    assertTrue(total > GeminiTokenCount.MEDIA_PART_TOKENS);
  }

  @Test
  void emptyContentsCountZeroAndANonObjectIsRefused() {
    assertEquals(0, count("{\"contents\":[]}"));
    assertThrows(TranslationException.class, () -> GeminiTokenCount.count(parse("[1]")));
  }
}
