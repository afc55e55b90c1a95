package dev.llmproxy.dialect.gemini;

import static dev.llmproxy.testing.TranslatorFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.dialect.ListedModel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiModelListTest {
  private static final String MODEL = """
      {"name":"models/%s","baseModelId":"%s","displayName":"%s","description":"Served by %s through llm-proxy.",
       "supportedGenerationMethods":["generateContent","streamGenerateContent","countTokens"]}""";

  @Test
  void theListNamesEachModelTheGeminiWay() {
    byte[] body = GeminiModelList.body(List.of(new ListedModel("gemini-2.5-pro", 1L, "deepseek"),
        new ListedModel("team/flash", 1L, "groq")));
    String first = MODEL.formatted("gemini-2.5-pro", "gemini-2.5-pro", "gemini-2.5-pro", "deepseek");
    String second = MODEL.formatted("team/flash", "team/flash", "team/flash", "groq");
    assertEquals(parse("{\"models\":[" + first + "," + second + "]}"),
        parse(new String(body, StandardCharsets.UTF_8)));
  }

  @Test
  void anEmptyListAndOneModel() {
    assertEquals(parse("{\"models\":[]}"), parse(new String(GeminiModelList.body(List.of()), StandardCharsets.UTF_8)));
    assertEquals(parse(MODEL.formatted("m", "m", "m", "p")),
        parse(new String(GeminiModelList.model(new ListedModel("m", 1L, "p")), StandardCharsets.UTF_8)));
  }
}
