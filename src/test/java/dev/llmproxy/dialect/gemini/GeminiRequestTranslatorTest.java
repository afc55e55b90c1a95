package dev.llmproxy.dialect.gemini;

import static dev.llmproxy.testing.TranslatorFixtures.json;
import static dev.llmproxy.testing.TranslatorFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.llmproxy.dialect.TranslationException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per row of spec §3 (Gemini request → chat completions), plus a Gemini CLI request end to end. */
class GeminiRequestTranslatorTest {

  private static GeminiRequest translate(String body) {
    return GeminiRequestTranslator.translate(parse(body), "gemini-2.5-pro", false);
  }

  private static JsonNode chat(String body) {
    return parse(translate(body).chatBody().toString());
  }

  private static JsonNode messages(String contents) {
    return chat("{\"contents\":" + contents + "}").get("messages");
  }

  private static String user(String parts) {
    return "[{\"role\":\"user\",\"parts\":" + parts + "}]";
  }

  @Test
  void aGeminiCliRequestBecomesTheGoldenChatBody() {
    GeminiRequest request =
        GeminiRequestTranslator.translate(json("/dialect/gemini/gemini-cli-request.json"), "gemini-2.5-pro", true);
    assertEquals(json("/dialect/gemini/gemini-cli-chat.json"), parse(request.chatBody().toString()));
    assertEquals(List.of("tools[1].googleSearch: Google-side tools have no chat-completions equivalent; dropped"),
        request.notes());
    assertEquals("gemini-2.5-pro", request.model());
    assertTrue(request.stream());
  }

  @Test
  void systemInstructionBecomesTheSystemMessageInEitherSpelling() {
    assertEquals(parse("{\"role\":\"system\",\"content\":\"Be brief.\"}"), chat("""
        {"systemInstruction":{"parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"x"}]}]}""")
        .get("messages").get(0));
    assertEquals(parse("{\"role\":\"system\",\"content\":\"Be brief.\"}"), chat("""
        {"system_instruction":{"parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"x"}]}]}""")
        .get("messages").get(0));
    assertEquals("Plain.", chat("{\"systemInstruction\":\"Plain.\",\"contents\":" + user("[{\"text\":\"x\"}]") + "}")
        .get("messages").get(0).get("content").asText());
  }

  @Test
  void userAndModelContentsBecomeUserAndAssistantMessagesWithTheirText() {
    assertEquals(parse("""
        [{"role":"user","content":"Hi\\nthere"},{"role":"assistant","content":"Hello!"},
         {"role":"user","content":"Bye"}]"""),
        messages("""
            [{"role":"user","parts":[{"text":"Hi"},{"text":"there"}]},
             {"role":"model","parts":[{"text":"Hel"},{"text":"lo!"}]},
             {"parts":[{"text":"Bye"}]}]"""));
  }

  @Test
  void anInlineImageBecomesADataUri() {
    assertEquals(parse("""
        [{"role":"user","content":[{"type":"text","text":"What is it?"},
          {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}}]}]"""),
        messages(user("[{\"text\":\"What is it?\"},"
            + "{\"inlineData\":{\"mimeType\":\"image/jpeg\",\"data\":\"/9j/4AAQ\"}}]")));
  }

  @Test
  void inlineAudioBecomesInputAudio() {
    JsonNode part = messages(user("[{\"inline_data\":{\"mime_type\":\"audio/mpeg\",\"data\":\"SUQz\"}}]"))
        .get(0).get("content").get(0);
    assertEquals(parse("{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"SUQz\",\"format\":\"mp3\"}}"), part);
    assertEquals("wav", messages(user("[{\"inlineData\":{\"mimeType\":\"audio/x-wav\",\"data\":\"UklG\"}}]"))
        .get(0).get("content").get(0).get("input_audio").get("format").asText());
  }

  @Test
  void inlineTextIsDecodedAndOtherMediaAreRefused() {
    assertEquals("hello", messages(user("[{\"inlineData\":{\"mimeType\":\"text/plain\",\"data\":\"aGVsbG8=\"}}]"))
        .get(0).get("content").asText());
    TranslationException e = assertThrows(TranslationException.class,
        () -> messages(user("[{\"inlineData\":{\"mimeType\":\"application/pdf\",\"data\":\"JVBERi0=\"}}]")));
    assertEquals("contents[0].parts[0].inlineData", e.param());
    assertTrue(e.getMessage().contains("application/pdf"), e.getMessage());
  }

  @Test
  void fileDataImagesBecomeTheirUrl() {
    assertEquals("https://example.test/cat.png", messages(user(
        "[{\"fileData\":{\"mimeType\":\"image/png\",\"fileUri\":\"https://example.test/cat.png\"}}]"))
        .get(0).get("content").get(0).get("image_url").get("url").asText());
    assertEquals("contents[0].parts[0].fileData", assertThrows(TranslationException.class, () -> messages(user(
        "[{\"fileData\":{\"mimeType\":\"video/mp4\",\"fileUri\":\"https://example.test/v.mp4\"}}]"))).param());
  }

  @Test
  void functionCallsBecomeToolCallsKeepingIdsOrMakingStableOnes() {
    String contents = """
        [{"role":"user","parts":[{"text":"weather?"}]},
         {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
                                  {"functionCall":{"id":"fc-7","name":"get_time","args":{}}}]},
         {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"sunny"}}},
                                 {"functionResponse":{"id":"fc-7","name":"get_time",
                                                      "response":{"output":"noon"}}}]}]""";
    JsonNode calls = messages(contents).get(1).get("tool_calls");
    assertEquals(parse("""
        [{"id":"call_1_0","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
         {"id":"fc-7","type":"function","function":{"name":"get_time","arguments":"{}"}}]"""), calls);
    assertEquals(calls, messages(contents).get(1).get("tool_calls"), "the same history gives the same ids");
  }

  @Test
  void functionResponsesMatchTheirCallByIdElseByNameAndComeBeforeTheTurnsText() {
    JsonNode messages = messages("""
        [{"role":"model","parts":[{"functionCall":{"id":"a","name":"read","args":{"p":1}}},
                                  {"functionCall":{"id":"b","name":"read","args":{"p":2}}},
                                  {"functionCall":{"name":"list","args":{}}}]},
         {"role":"user","parts":[{"text":"done?"},
                                 {"functionResponse":{"id":"b","name":"read","response":{"output":"two"}}},
                                 {"functionResponse":{"name":"read","response":{"output":"one"}}},
                                 {"functionResponse":{"name":"list","response":{"files":["x","y"]}}}]}]""");
    assertEquals(parse("""
        [{"role":"tool","tool_call_id":"b","content":"two"},
         {"role":"tool","tool_call_id":"a","content":"one"},
         {"role":"tool","tool_call_id":"call_0_2","content":"{\\"files\\":[\\"x\\",\\"y\\"]}"},
         {"role":"user","content":"done?"}]"""), slice(messages, 1));
  }

  @Test
  void aFunctionResponseMatchingNoCallIsUserTextWithANote() {
    GeminiRequest request = translate("{\"contents\":" + user(
        "[{\"functionResponse\":{\"name\":\"ghost\",\"response\":{\"output\":\"boo\"}}}]") + "}");
    assertEquals("Result of function ghost: boo", request.chatBody().get("messages").get(0).get("content").asText());
    assertEquals(1, request.notes().size());
  }

  @Test
  void thoughtPartsAreDropped() {
    assertEquals(parse("[{\"role\":\"assistant\",\"content\":\"Answer.\"}]"), messages("""
        [{"role":"model","parts":[{"text":"hmm","thought":true},{"text":"Answer.","thoughtSignature":"c2ln"}]}]"""));
  }

  @Test
  void aPartHoldingOnlyAThoughtSignatureIsDroppedToo() {
    assertEquals(parse("[{\"role\":\"assistant\",\"content\":\"Answer.\"}]"), messages("""
        [{"role":"model","parts":[{"thoughtSignature":"c2ln"},{"text":"Answer."}]}]"""));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      user  | [{"text":"x"},{}]
      model | [{"text":"x"},{"videoMetadata":{"fps":1}}]
      """)
  void aPartWithoutDataIsRefusedNamingIt(String role, String parts) {
    TranslationException e = assertThrows(TranslationException.class,
        () -> messages("[{\"role\":\"" + role + "\",\"parts\":" + parts + "}]"));
    assertEquals("contents[0].parts[1]", e.param());
    assertTrue(e.getMessage().contains("has no data the gateway can send"), e.getMessage());
  }

  @Test
  void userPartsWithoutAChatEquivalentAreDroppedWithANote() {
    GeminiRequest request = translate("{\"contents\":" + user("""
        [{"executableCode":{"language":"PYTHON","code":"print(1)"}},{"text":"x"}]""") + "}");
    assertEquals(parse("[{\"role\":\"user\",\"content\":\"x\"}]"), request.chatBody().get("messages"));
    assertEquals(1, request.notes().size());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[{\"role\":\"user\",\"parts\":[{\"text\":\"hmm\",\"thought\":true}]}]",
      "[{\"role\":\"model\",\"parts\":[{\"executableCode\":{\"code\":\"1\"}}]}]",
      "[{\"role\":\"user\",\"parts\":[]}]"})
  void contentsThatLeaveNothingToSendAreRefusedEvenWithASystemInstruction(String contents) {
    TranslationException e = assertThrows(TranslationException.class,
        () -> translate("{\"systemInstruction\":\"Be brief.\",\"contents\":" + contents + "}"));
    assertEquals("contents", e.param());
    assertTrue(e.getMessage().contains("nothing the gateway can send"), e.getMessage());
  }

  @Test
  void functionDeclarationsBecomeFunctionToolsWithJsonSchemas() {
    JsonNode tools = chat("""
        {"contents":[{"parts":[{"text":"x"}]}],"tools":[{"functionDeclarations":[
          {"name":"a","description":"A.","parametersJsonSchema":{"type":"object","properties":{"q":{"type":"string"}}}},
          {"name":"b","parameters":{"type":"OBJECT","properties":{"n":{"type":"INTEGER","nullable":true},
            "tags":{"type":"ARRAY","items":{"type":"STRING","enum":["X","Y"]}}},"required":["n"]}},
          {"name":"c"}]}]}""").get("tools");
    assertEquals(parse("""
        [{"type":"function","function":{"name":"a","description":"A.",
           "parameters":{"type":"object","properties":{"q":{"type":"string"}}}}},
         {"type":"function","function":{"name":"b","parameters":{"type":"object","properties":{
           "n":{"type":["integer","null"]},"tags":{"type":"array","items":{"type":"string","enum":["X","Y"]}}},
           "required":["n"]}}},
         {"type":"function","function":{"name":"c","parameters":{"type":"object","properties":{}}}}]"""), tools);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      AUTO      | []             | "auto"
      NONE      | []             | "none"
      ANY       | []             | "required"
      ANY       | ["f"]          | {"type":"function","function":{"name":"f"}}
      ANY       | ["f","g"]      | "required"
      VALIDATED | []             | "auto"
      """)
  void functionCallingModesBecomeToolChoice(String mode, String allowed, String expected) {
    JsonNode chat = chat("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"tools\":[{\"functionDeclarations\":"
        + "[{\"name\":\"f\"},{\"name\":\"g\"}]}],\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"" + mode
        + "\",\"allowedFunctionNames\":" + allowed + "}}}");
    assertEquals(parse(expected), chat.get("tool_choice"));
  }

  @Test
  void noToolsMeansNoToolChoice() {
    assertFalse(chat("""
        {"contents":[{"parts":[{"text":"x"}]}],"toolConfig":{"functionCallingConfig":{"mode":"ANY"}}}""")
        .has("tool_choice"));
  }

  @Test
  void generationConfigMapsToChatParameters() {
    JsonNode chat = chat("""
        {"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"temperature":0.4,"topP":0.8,"topK":40,
          "maxOutputTokens":1000,"stopSequences":["a","b"],"candidateCount":2,"presencePenalty":0.1,
          "frequencyPenalty":0.2,"seed":7}}""");
    assertEquals(parse("""
        {"model":"gemini-2.5-pro","messages":[{"role":"user","content":"x"}],"temperature":0.4,"top_p":0.8,
         "max_tokens":1000,"stop":["a","b"],"n":2,"presence_penalty":0.1,"frequency_penalty":0.2,"seed":7}"""), chat);
  }

  @Test
  void snakeCaseGenerationConfigIsReadToo() {
    assertEquals(50, chat("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],"
        + "\"generation_config\":{\"max_output_tokens\":50}}").get("max_tokens").asInt());
  }

  @Test
  void aJsonMimeTypeBecomesResponseFormat() {
    String contents = "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":";
    assertEquals(parse("{\"type\":\"json_object\"}"),
        chat(contents + "{\"responseMimeType\":\"application/json\"}}").get("response_format"));
    assertEquals(parse("""
        {"type":"json_schema",
         "json_schema":{"name":"response","schema":{"type":"object","properties":{"a":{"type":"string"}}}}}"""),
        chat(contents + """
            {"responseMimeType":"application/json",
             "responseSchema":{"type":"OBJECT","properties":{"a":{"type":"STRING"}}}}}""")
            .get("response_format"));
    assertEquals("integer", chat(contents + """
        {"responseMimeType":"application/json","responseJsonSchema":{"type":"integer"}}}""")
        .get("response_format").get("json_schema").get("schema").get("type").asText());
  }

  @ParameterizedTest(name = "budget {0} -> {1}")
  @CsvSource({"0, none", "512, low", "1024, low", "4096, medium", "8192, medium", "24576, high", "-1, "})
  void aThinkingBudgetBecomesAReasoningEffort(int budget, String effort) {
    assertEquals(effort, GeminiRequestTranslator.effort(parse("{\"thinkingBudget\":" + budget + "}")));
  }

  @Test
  void aThinkingLevelIsTheEffortAndNoThinkingConfigLeavesItToTheUpstream() {
    assertEquals("high", GeminiRequestTranslator.effort(parse("{\"thinkingLevel\":\"HIGH\"}")));
    assertNull(GeminiRequestTranslator.effort(parse("{\"includeThoughts\":true}")));
    assertFalse(chat("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}").has("reasoning_effort"));
  }

  @Test
  void streamingComesFromTheUrlAndAsksForUsage() {
    GeminiRequest request = GeminiRequestTranslator.translate(parse("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}"),
        "gemini-flash", true);
    assertTrue(request.chatBody().get("stream").asBoolean());
    assertTrue(request.chatBody().get("stream_options").get("include_usage").asBoolean());
    assertEquals("gemini-flash", request.chatBody().get("model").asText());
    assertEquals("gemini-flash", request.context().clientModel());
    assertTrue(request.context().responseId().matches("[0-9a-f]{24}"), request.context().responseId());
    assertFalse(translate("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}").chatBody().has("stream"));
  }

  @Test
  void malformedRequestsAreRefusedNamingTheField() {
    assertEquals("cachedContent", assertThrows(TranslationException.class, () -> translate("""
        {"cachedContent":"cachedContents/abc","contents":[{"parts":[{"text":"x"}]}]}""")).param());
    assertEquals("contents", assertThrows(TranslationException.class, () -> translate("{}")).param());
    assertEquals("contents", assertThrows(TranslationException.class, () -> translate("{\"contents\":[]}")).param());
    assertEquals("contents[0].role", assertThrows(TranslationException.class,
        () -> messages("[{\"role\":\"system\",\"parts\":[{\"text\":\"x\"}]}]")).param());
    assertEquals("contents[0].parts", assertThrows(TranslationException.class,
        () -> messages("[{\"role\":\"user\"}]")).param());
    assertEquals("contents[0].parts[0].functionCall.name", assertThrows(TranslationException.class,
        () -> messages("[{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"args\":{}}}]}]")).param());
    assertNull(assertThrows(TranslationException.class,
        () -> GeminiRequestTranslator.translate(parse("[]"), "m", false)).param());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      "temperature":"hot"                        | temperature                    | a number
      "temperature":1e999                        | temperature                    | a finite number
      "topP":"x"                                 | topP                           | a number
      "maxOutputTokens":"ten"                    | maxOutputTokens                | an integer
      "max_output_tokens":1.5                    | maxOutputTokens                | an integer
      "stopSequences":"END"                      | stopSequences                  | a list
      "stopSequences":["a",1]                    | stopSequences[1]               | a string
      "candidateCount":true                      | candidateCount                 | an integer
      "presencePenalty":"0.1"                    | presencePenalty                | a number
      "frequencyPenalty":-1e999                  | frequencyPenalty               | a finite number
      "seed":"s"                                 | seed                           | an integer
      "responseMimeType":1                       | responseMimeType               | a string
      "responseSchema":"OBJECT"                  | responseSchema                 | an object
      "thinkingConfig":{"thinkingBudget":"lots"} | thinkingConfig.thinkingBudget  | an integer
      "thinkingConfig":{"thinkingLevel":2}       | thinkingConfig.thinkingLevel   | a string
      """)
  void aGenerationConfigValueOfTheWrongTypeIsRefusedNamingIt(String member, String param, String expected) {
    assertEquals("Invalid value at 'generationConfig." + param + "': expected " + expected + ".",
        refusal("\"generationConfig\":{" + member + "}").getMessage());
    assertEquals("generationConfig." + param, refusal("\"generationConfig\":{" + member + "}").param());
  }

  @Test
  void otherValuesOfTheWrongTypeAreRefusedNamingThemToo() {
    assertEquals("generationConfig", refusal("\"generationConfig\":\"hot\"").param());
    assertEquals("systemInstruction.parts[0].text", refusal("\"systemInstruction\":{\"parts\":[{\"text\":5}]}")
        .param());
    assertEquals("toolConfig.functionCallingConfig.allowedFunctionNames[0]", refusal("""
        "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":[1]}}""").param());
  }

  /** The refusal of a request with a text part, one tool and {@code member}. */
  private static TranslationException refusal(String member) {
    return assertThrows(TranslationException.class, () -> translate("{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],"
        + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\"}]}]," + member + "}"));
  }

  @Test
  void aThoughtFlagMustBeABoolean() {
    assertEquals("contents[0].parts[0].thought", assertThrows(TranslationException.class,
        () -> messages(user("[{\"text\":\"x\",\"thought\":\"yes\"}]"))).param());
  }

  @Test
  void wholeNumbersWrittenWithAFractionAreSentAsIntegers() {
    JsonNode chat = chat("""
        {"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"maxOutputTokens":512.0,"seed":7.0}}""");
    assertTrue(chat.get("max_tokens").isIntegralNumber(), chat.toString());
    assertEquals(512, chat.get("max_tokens").asInt());
    assertTrue(chat.get("seed").isIntegralNumber(), chat.toString());
  }

  private static JsonNode slice(JsonNode array, int from) {
    ArrayNode slice = JsonNodeFactory.instance.arrayNode();
    for (int i = from; i < array.size(); i++) {
      slice.add(array.get(i));
    }
    return slice;
  }
}
