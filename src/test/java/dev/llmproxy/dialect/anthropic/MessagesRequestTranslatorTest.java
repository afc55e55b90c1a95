package dev.llmproxy.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.TranslationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §2, one test per row of the request table (and the validation around it). */
class MessagesRequestTranslatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A body with {@code fields} (a JSON object's members) added to model, max_tokens and messages. */
  private static MessagesRequest translate(String fields) {
    return MessagesRequestTranslator.translate(json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]" + (fields.isEmpty() ? "" : "," + fields) + "}"));
  }

  /** The chat messages for an Anthropic {@code messages} array. */
  private static JsonNode messages(String messages) {
    return MessagesRequestTranslator.translate(
        json("{\"model\":\"m\",\"messages\":" + messages + "}")).chatBody().get("messages");
  }

  private static TranslationException rejected(String body) {
    return assertThrows(TranslationException.class, () -> MessagesRequestTranslator.translate(json(body)));
  }

  @Test
  void modelIsTheClientsStringForTheRelayToReplace() {
    MessagesRequest request = translate("");
    assertEquals("claude-sonnet-4-5", request.model());
    assertEquals("claude-sonnet-4-5", request.chatBody().get("model").asText());
    assertEquals("claude-sonnet-4-5", request.context().clientModel());
  }

  @Test
  void systemStringBecomesTheFirstMessageAndEmptyIsDropped() {
    assertEquals(json("[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}]"),
        translate("\"system\":\"Be brief.\"").chatBody().get("messages"));
    assertEquals(json("[{\"role\":\"user\",\"content\":\"Hi\"}]"),
        translate("\"system\":\"\"").chatBody().get("messages"));
  }

  @Test
  void systemBlocksAreJoinedWithoutCacheControlAndBillingHeader() {
    JsonNode messages = translate("\"system\":["
        + "{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: cc_version=2.0.14; cc_entrypoint=cli\"},"
        + "{\"type\":\"text\",\"text\":\"You are Claude Code.\",\"cache_control\":{\"type\":\"ephemeral\"}},"
        + "{\"type\":\"text\",\"text\":\"Be careful.\"}]").chatBody().get("messages");
    assertEquals(json("{\"role\":\"system\",\"content\":\"You are Claude Code.\\nBe careful.\"}"), messages.get(0));
    assertEquals(2, messages.size());
  }

  @Test
  void stringContentKeepsItsRole() {
    assertEquals(json("[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]"),
        messages("[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]"));
  }

  @Test
  void userTextBlocksBecomeOneStringWithoutCacheControl() {
    assertEquals(json("[{\"role\":\"user\",\"content\":\"one\\ntwo\"}]"), messages("[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"one\"},"
        + "{\"type\":\"text\",\"text\":\"two\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]"));
  }

  @Test
  void base64AndUrlImagesBecomeImageUrlParts() {
    assertEquals(json("[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"What is this?\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.jpg\"}}]}]"),
        messages("[{\"role\":\"user\",\"content\":["
            + "{\"type\":\"text\",\"text\":\"What is this?\"},"
            + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\","
            + "\"data\":\"iVBORw0KGgo=\"}},"
            + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}}]}]"));
  }

  @Test
  void imageFileSourcesAreRefused() {
    TranslationException e = rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"file_1\"}}]}]}");
    assertEquals("messages[0].content[0].source.type", e.param());
  }

  @Test
  void textDocumentsBecomeTextAndPdfsAreA400() {
    assertEquals(json("[{\"role\":\"user\",\"content\":\"The notes\\nSummarise.\"}]"),
        messages("[{\"role\":\"user\",\"content\":["
            + "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\","
            + "\"data\":\"The notes\"}},"
            + "{\"type\":\"text\",\"text\":\"Summarise.\"}]}]"));
    assertEquals(json("[{\"role\":\"user\",\"content\":\"part one\\npart two\"}]"),
        messages("[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"content\","
            + "\"content\":["
            + "{\"type\":\"text\",\"text\":\"part one\"},{\"type\":\"text\",\"text\":\"part two\"}]}}]}]"));
    TranslationException pdf = rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"Read this\"},"
        + "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\","
        + "\"data\":\"JVBERi0=\"}}]}]}");
    assertEquals("messages[0].content[1]", pdf.param());
    assertTrue(pdf.getMessage().contains("PDF") && pdf.getMessage().contains("not supported"), pdf.getMessage());
  }

  @Test
  void toolResultsBecomeToolMessagesBeforeTheRestOfTheTurn() {
    JsonNode messages = messages("[{\"role\":\"user\",\"content\":\"Run it\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\","
        + "\"input\":{}},"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"Bash\",\"input\":{}}]},"
        + "{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"<system-reminder>todo list is empty</system-reminder>\"},"
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"ok\"},"
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_2\",\"content\":[{\"type\":\"text\",\"text\":\"line 1\"},"
        + "{\"type\":\"text\",\"text\":\"line 2\"}]}]}]");
    assertEquals(5, messages.size());
    assertEquals(json("{\"role\":\"tool\",\"tool_call_id\":\"toolu_1\",\"content\":\"ok\"}"), messages.get(2));
    assertEquals(json("{\"role\":\"tool\",\"tool_call_id\":\"toolu_2\",\"content\":\"line 1\\nline 2\"}"),
        messages.get(3));
    assertEquals(json("{\"role\":\"user\",\"content\":\"<system-reminder>todo list is empty</system-reminder>\"}"),
        messages.get(4));
  }

  @Test
  void toolResultErrorsAndEmptyContent() {
    JsonNode messages = messages("[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"a\",\"content\":\"exit code 1\",\"is_error\":true},"
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"c\"}]}]");
    assertEquals(json("{\"role\":\"tool\",\"tool_call_id\":\"a\",\"content\":\"Error:\\nexit code 1\"}"),
        messages.get(0));
    assertEquals(json("{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"\"}"), messages.get(1));
    assertEquals(2, messages.size(), "no empty user message after the results");
  }

  @Test
  void imagesInToolResultsFollowAllTheTurnsResultsInAUserMessageBeforeItsText() {
    String jpeg = "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/jpeg\","
        + "\"data\":\"/9j/\"}}";
    String png = "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.png\"}}";
    JsonNode messages = messages("[{\"role\":\"user\",\"content\":\"Look at both\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Read\",\"input\":{}},"
        + "{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"Read\",\"input\":{}}]},"
        + "{\"role\":\"user\",\"content\":["
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"see\"}," + jpeg + "]},"
        + "{\"type\":\"text\",\"text\":\"<system-reminder>x</system-reminder>\"},"
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"t2\",\"is_error\":true,\"content\":[" + png + "]}]}]");
    assertEquals(5, messages.size(), messages.toString());
    assertEquals(json("{\"role\":\"tool\",\"tool_call_id\":\"t1\",\"content\":\"see\"}"), messages.get(2));
    assertEquals(json("{\"role\":\"tool\",\"tool_call_id\":\"t2\","
        + "\"content\":\"Error:\\n(the image follows the tool results)\"}"), messages.get(3));
    assertEquals(json("{\"role\":\"user\",\"content\":["
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/jpeg;base64,/9j/\"}},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}},"
        + "{\"type\":\"text\",\"text\":\"<system-reminder>x</system-reminder>\"}]}"), messages.get(4));
  }

  @Test
  void aToolResultOfImagesOnlySaysHowManyFollow() {
    String image = "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.png\"}}";
    JsonNode messages = messages("[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\","
        + "\"content\":[" + image + "," + image + "]}]}]");
    assertEquals("(2 images follow the tool results)", messages.at("/0/content").asText());
    assertEquals(2, messages.at("/1/content").size());
    assertEquals("user", messages.at("/1/role").asText());
  }

  @Test
  void assistantTextAndToolUsesAreOneMessage() {
    JsonNode messages = messages("[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"Running both.\"},"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls -la\"}},"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"Read\",\"input\":{\"file_path\":\"/a \\\"b\\\"\"}}]}]");
    assertEquals(json("{\"role\":\"assistant\",\"content\":\"Running both.\",\"tool_calls\":["
        + "{\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"Bash\","
        + "\"arguments\":\"{\\\"command\\\":\\\"ls -la\\\"}\"}},"
        + "{\"id\":\"toolu_2\",\"type\":\"function\",\"function\":{\"name\":\"Read\","
        + "\"arguments\":\"{\\\"file_path\\\":\\\"/a \\\\\\\"b\\\\\\\"\\\"}\"}}]}"), messages.get(1));
    assertEquals("/a \"b\"", json(messages.get(1).at("/tool_calls/1/function/arguments").asText())
        .get("file_path").asText());
  }

  @Test
  void assistantToolUseWithoutTextHasNullContentAndMissingInputIsAnEmptyObject() {
    JsonNode message = messages("[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":["
        + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"ExitPlanMode\"}]}]").get(1);
    assertTrue(message.get("content").isNull());
    assertEquals("{}", message.at("/tool_calls/0/function/arguments").asText());
  }

  @Test
  void thinkingInHistoryIsDropped() {
    assertEquals(json("[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"},"
        + "{\"role\":\"user\",\"content\":\"q2\"}]"),
        messages("[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":["
            + "{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"EqQBCkYIBxgC\"},"
            + "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgB\"},{\"type\":\"text\",\"text\":\"a\"}]},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"only\","
            + "\"signature\":\"s\"}]},"
            + "{\"role\":\"user\",\"content\":\"q2\"}]"));
  }

  @Test
  void toolIdsEncodedForTheClientAreDecodedForTheUpstream() {
    JsonNode messages = messages("[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":["
        + "{\"type\":\"tool_use\",\"id\":\"toolu_b64_ZnVuY3Rpb25zLkJhc2g6MA\",\"name\":\"Bash\",\"input\":{}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
        + "\"tool_use_id\":\"toolu_b64_ZnVuY3Rpb25zLkJhc2g6MA\","
        + "\"content\":\"done\"}]}]");
    assertEquals("functions.Bash:0", messages.at("/1/tool_calls/0/id").asText());
    assertEquals("functions.Bash:0", messages.at("/2/tool_call_id").asText());
  }

  @Test
  void systemRoleInsideMessagesBecomesUserContent() {
    assertEquals(json("[{\"role\":\"user\",\"content\":\"note\"},{\"role\":\"user\",\"content\":\"hi\"}]"),
        messages("[{\"role\":\"system\",\"content\":\"note\"},{\"role\":\"user\",\"content\":\"hi\"}]"));
  }

  @Test
  void maxTokensTemperatureAndTopPAreKeptTopKIsDropped() {
    ObjectNode chat = translate("\"temperature\":0.2,\"top_p\":0.9,\"top_k\":40").chatBody();
    assertEquals(1024, chat.get("max_tokens").intValue());
    assertEquals(0.2, chat.get("temperature").doubleValue());
    assertEquals(0.9, chat.get("top_p").doubleValue());
    assertFalse(chat.has("top_k"));
  }

  @Test
  void stopSequencesBecomeStopKeepingTheFirstFour() {
    assertEquals(json("[\"\\n\\nHuman:\",\"</answer>\"]"),
        translate("\"stop_sequences\":[\"\\n\\nHuman:\",\"</answer>\"]").chatBody().get("stop"));
    assertEquals(json("[\"a\",\"b\",\"c\",\"d\"]"),
        translate("\"stop_sequences\":[\"a\",\"\",\"b\",\"c\",\"d\",\"e\"]").chatBody().get("stop"));
    assertFalse(translate("\"stop_sequences\":[]").chatBody().has("stop"));
  }

  @Test
  void metadataUserIdBecomesUserAndMetadataStaysHere() {
    ObjectNode chat = translate("\"metadata\":{\"user_id\":\"user_abc_account__session_42\"}").chatBody();
    assertEquals("user_abc_account__session_42", chat.get("user").asText());
    assertFalse(chat.has("metadata"));
    assertFalse(translate("\"metadata\":{}").chatBody().has("user"));
  }

  @Test
  void streamAsksForTheUsageChunk() {
    MessagesRequest streamed = translate("\"stream\":true");
    assertTrue(streamed.stream());
    assertTrue(streamed.chatBody().get("stream").booleanValue());
    assertEquals(json("{\"include_usage\":true}"), streamed.chatBody().get("stream_options"));
    MessagesRequest plain = translate("\"stream\":false");
    assertFalse(plain.stream());
    assertFalse(plain.chatBody().has("stream"));
    assertFalse(plain.chatBody().has("stream_options"));
  }

  @Test
  void toolsBecomeFunctionsServerToolsAreDroppedNamesSanitized() {
    MessagesRequest request = translate("\"tools\":["
        + "{\"name\":\"Bash\",\"description\":\"Run a command\",\"input_schema\":{\"type\":\"object\","
        + "\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"]},"
        + "\"cache_control\":{\"type\":\"ephemeral\"}},"
        + "{\"name\":\"ExitPlanMode\",\"input_schema\":{\"type\":\"object\"}},"
        + "{\"type\":\"custom\",\"name\":\"browser.navigate\",\"input_schema\":{\"type\":\"object\","
        + "\"properties\":{}}},"
        + "{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":5},"
        + "{\"type\":\"bash_20250124\",\"name\":\"bash\"}]");
    assertEquals(json("[{\"type\":\"function\",\"function\":{\"name\":\"Bash\",\"description\":\"Run a command\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},"
        + "\"required\":[\"command\"]}}},"
        + "{\"type\":\"function\",\"function\":{\"name\":\"ExitPlanMode\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{}}}},"
        + "{\"type\":\"function\",\"function\":{\"name\":\"browser_navigate\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{}}}}]"), request.chatBody().get("tools"));
    assertEquals(List.of("web_search", "bash"), request.droppedTools());
    assertEquals("browser.navigate", request.context().toolNames().original("browser_navigate"));
  }

  @Test
  void onlyServerToolsMeansNoToolsAndNoToolChoice() {
    ObjectNode chat = translate("\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],"
        + "\"tool_choice\":{\"type\":\"any\",\"disable_parallel_tool_use\":true}").chatBody();
    assertFalse(chat.has("tools"));
    assertFalse(chat.has("tool_choice"));
    assertFalse(chat.has("parallel_tool_calls"));
  }

  private static ObjectNode withToolChoice(String choice) {
    return translate("\"tools\":[{\"name\":\"get.weather\",\"input_schema\":{\"type\":\"object\"}}],"
        + "\"tool_choice\":" + choice).chatBody();
  }

  @Test
  void toolChoiceRows() {
    assertEquals("auto", withToolChoice("{\"type\":\"auto\"}").get("tool_choice").asText());
    assertEquals("required", withToolChoice("{\"type\":\"any\"}").get("tool_choice").asText());
    assertEquals("none", withToolChoice("{\"type\":\"none\"}").get("tool_choice").asText());
    assertEquals(json("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"),
        withToolChoice("{\"type\":\"tool\",\"name\":\"get.weather\"}").get("tool_choice"));
    assertFalse(withToolChoice("{\"type\":\"auto\"}").has("parallel_tool_calls"));
    assertFalse(withToolChoice("{\"type\":\"auto\",\"disable_parallel_tool_use\":false}").has("parallel_tool_calls"));
    ObjectNode serial = withToolChoice("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}");
    assertFalse(serial.get("parallel_tool_calls").booleanValue());
    assertEquals("tool_choice.name", assertThrows(TranslationException.class,
        () -> withToolChoice("{\"type\":\"tool\",\"name\":\"nope\"}")).param());
    assertEquals("tool_choice.type", assertThrows(TranslationException.class,
        () -> withToolChoice("{\"type\":\"maybe\"}")).param());
  }

  @Test
  void historyToolNamesUseTheSameUpstreamNamesAsTheDefinitions() {
    MessagesRequest request = MessagesRequestTranslator.translate(json("{\"model\":\"m\","
        + "\"tools\":[{\"name\":\"get.weather\",\"input_schema\":{\"type\":\"object\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":["
        + "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"get.weather\",\"input\":{}},"
        + "{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"old:tool\",\"input\":{}}]}]}"));
    JsonNode calls = request.chatBody().at("/messages/1/tool_calls");
    assertEquals("get_weather", calls.at("/0/function/name").asText());
    assertEquals("old_tool", calls.at("/1/function/name").asText());
    assertEquals("old:tool", request.context().toolNames().original("old_tool"));
  }

  @Test
  void thinkingBecomesReasoningEffortAndIsNeverForwarded() {
    ObjectNode chat = translate("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":31999}").chatBody();
    assertEquals("high", chat.get("reasoning_effort").asText());
    assertFalse(chat.has("thinking"));
    assertFalse(translate("\"thinking\":{\"type\":\"disabled\"}").chatBody().has("reasoning_effort"));
  }

  @Test
  void anthropicOnlyFieldsAreDropped() {
    ObjectNode chat = translate("\"service_tier\":\"auto\",\"container\":\"c1\",\"mcp_servers\":[],"
        + "\"context_management\":{\"edits\":[]},\"output_config\":{\"effort\":\"low\"}").chatBody();
    assertEquals(List.of("model", "messages", "max_tokens"), fieldNames(chat));
  }

  @Test
  void contextCarriesAMessageIdAndTheInputEstimate() {
    JsonNode body = json("{\"model\":\"m\",\"system\":\"You are terse.\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Hi\"}]}");
    MessagesContext context = MessagesRequestTranslator.translate(body).context();
    assertTrue(context.messageId().matches("msg_[0-9A-Za-z]{24}"), context.messageId());
    assertEquals(AnthropicTokenCount.count(body), context.inputTokens());
    assertTrue(context.inputTokens() > 0);
  }

  @Test
  void temperatureOrTopPBeyondADoubleIsA400NotTheStringInfinity() {
    String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    TranslationException temperature = rejected("{\"model\":\"m\",\"temperature\":1e999," + hi + "}");
    assertEquals("temperature", temperature.param());
    assertEquals("temperature: expected a finite number", temperature.getMessage());
    assertEquals("top_p", rejected("{\"model\":\"m\",\"top_p\":-1e999," + hi + "}").param());
  }

  @Test
  void anEmptyBlockArrayIsA400NamingItsMessageExceptAFinalAssistantPrefill() {
    TranslationException empty = rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[]}]}");
    assertEquals("messages[0].content", empty.param());
    assertEquals("messages[0].content: must not be empty", empty.getMessage());
    assertEquals("messages[1].content", rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
        + "{\"role\":\"assistant\",\"content\":[]},{\"role\":\"user\",\"content\":\"b\"}]}").param());
    assertEquals(json("[{\"role\":\"user\",\"content\":\"a\"}]"),
        messages("[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":[]}]"));
  }

  @Test
  void aConversationThatLeavesNothingToSendIsA400() {
    assertEquals("messages", rejected("{\"model\":\"m\",\"system\":\"s\",\"messages\":[{\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"s\"}]}]}").param());
    assertEquals("messages", rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[]}]}")
        .param());
  }

  @Test
  void aClientToolWithoutInputSchemaIsA400ButAServerToolIsLeftOut() {
    String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    TranslationException untyped = rejected("{\"model\":\"m\",\"tools\":[{\"name\":\"x\"}]," + hi + "}");
    assertEquals("tools[0].input_schema", untyped.param());
    assertEquals("tools[0].input_schema: field required", untyped.getMessage());
    assertEquals("tools[1].input_schema", rejected("{\"model\":\"m\",\"tools\":[{\"name\":\"a\","
        + "\"input_schema\":{\"type\":\"object\"}},{\"type\":\"custom\",\"name\":\"x\"}]," + hi + "}").param());
    assertEquals(List.of("web_fetch"),
        translate("\"tools\":[{\"type\":\"web_fetch_20250910\",\"name\":\"web_fetch\"}]").droppedTools());
  }

  @Test
  void invalidBodiesAre400sNamingTheField() {
    assertNull(rejected("[1]").param());
    assertEquals("messages", rejected("{\"model\":\"m\"}").param());
    assertEquals("messages", rejected("{\"model\":\"m\",\"messages\":[]}").param());
    assertEquals("messages", rejected("{\"model\":\"m\",\"messages\":\"hi\"}").param());
    assertEquals("model", rejected("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").param());
    assertEquals("model", rejected("{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").param());
    assertEquals("model", rejected("{\"model\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").param());
    String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    assertEquals("max_tokens", rejected("{\"model\":\"m\",\"max_tokens\":\"many\"," + hi + "}").param());
    assertEquals("max_tokens", rejected("{\"model\":\"m\",\"max_tokens\":0," + hi + "}").param());
    assertEquals("max_tokens", rejected("{\"model\":\"m\",\"max_tokens\":1.5," + hi + "}").param());
    assertEquals("stream", rejected("{\"model\":\"m\",\"stream\":\"yes\"," + hi + "}").param());
    assertEquals("temperature", rejected("{\"model\":\"m\",\"temperature\":\"hot\"," + hi + "}").param());
    assertEquals("stop_sequences", rejected("{\"model\":\"m\",\"stop_sequences\":[1]," + hi + "}").param());
    assertEquals("metadata", rejected("{\"model\":\"m\",\"metadata\":\"x\"," + hi + "}").param());
    assertEquals("system", rejected("{\"model\":\"m\",\"system\":5," + hi + "}").param());
    assertEquals("system[0].type", rejected("{\"model\":\"m\",\"system\":[{\"type\":\"image\"}]," + hi + "}").param());
    assertEquals("tools[0].name", rejected("{\"model\":\"m\",\"tools\":[{\"input_schema\":{}}]," + hi + "}").param());
    assertEquals("tools[0].input_schema",
        rejected("{\"model\":\"m\",\"tools\":[{\"name\":\"a\",\"input_schema\":[]}]," + hi + "}").param());
    assertEquals("messages[0]", rejected("{\"model\":\"m\",\"messages\":[3]}").param());
    assertEquals("messages[0].role",
        rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}]}").param());
    assertEquals("messages[0].content", rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}").param());
    assertEquals("messages[0].content",
        rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":4}]}").param());
    assertEquals("messages[0].content[0].type",
        rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"search_result\",\"source\":\"s\"}]}]}").param());
    assertEquals("messages[0].content[0].type",
        rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"b\",\"input\":{}}]}]}").param());
    assertEquals("messages[0].content[0].type", rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"a\"}]}]}").param());
    assertEquals("messages[0].content[0].id", rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"tool_use\",\"name\":\"b\",\"input\":{}}]}]}").param());
    assertEquals("messages[0].content[0].input", rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"b\",\"input\":\"x\"}]}]}").param());
    assertEquals("messages[0].content[0].tool_use_id", rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"tool_result\",\"content\":\"x\"}]}]}").param());
    assertEquals("messages[0].content[0].text", rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"text\"}]}]}").param());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
