package dev.llmproxy.dialect.anthropic;

import static dev.llmproxy.dialect.anthropic.MessagesRequestTranslatorTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Spec §3, one test per rule of the non-streamed answer. */
class MessagesResponseTranslatorTest {
  static final MessagesContext CONTEXT = new MessagesContext("msg_test", "claude-sonnet-4-5", 321, ToolNames.none());

  private static JsonNode message(String completion) {
    return message(completion, CONTEXT);
  }

  private static JsonNode message(String completion, MessagesContext context) {
    return json(new String(MessagesResponseTranslator.toMessage(json(completion), context), StandardCharsets.UTF_8));
  }

  private static String completion(String message, String finishReason, String usage) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"deepseek-chat\","
        + "\"choices\":[{\"index\":0,"
        + "\"message\":" + message + ",\"finish_reason\":" + finishReason + "}]" + (usage == null ? "" : ","
        + "\"usage\":" + usage)
        + "}";
  }

  @Test
  void textAnswerHasTheWholeMessageShape() {
    assertEquals(json("{\"id\":\"msg_test\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude-sonnet-4-5\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"Hello!\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
        + "\"output_tokens\":3}}"),
        message(completion("{\"role\":\"assistant\",\"content\":\"Hello!\"}", "\"stop\"",
            "{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}")));
  }

  @Test
  void argumentsWithTextAfterTheObjectAreNoInput() {
    JsonNode content = message(completion("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\","
        + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1} junk\"}}]}", "\"tool_calls\"",
        null)).get("content");
    assertEquals(json("{}"), content.get(0).get("input"), "not half of it, run as if the model had meant it");
  }

  @Test
  void aRefusalIsTheAnswersText() {
    JsonNode content = message(completion("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't help.\"}",
        "\"stop\"", null)).get("content");
    assertEquals("I can't help.", content.get(0).get("text").asText());
  }

  @Test
  void thinkingComesFirstWithAnEmptySignatureThenTextThenToolUse() {
    JsonNode content = message(completion("{\"role\":\"assistant\",\"content\":\"Let me look.\","
        + "\"reasoning_content\":\"The user wants the file.\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"Read\",\"arguments\":\"{\\\"file_path\\\":\\\"/a\\\"}\"}}]}", "\"tool_calls\"",
        null))
        .get("content");
    assertEquals(json("[{\"type\":\"thinking\",\"thinking\":\"The user wants the file.\",\"signature\":\"\"},"
        + "{\"type\":\"text\",\"text\":\"Let me look.\"},"
        + "{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"Read\",\"input\":{\"file_path\":\"/a\"}}]"), content);
  }

  @Test
  void reasoningFieldIsReadToo() {
    assertEquals("thinking", message(completion("{\"role\":\"assistant\",\"content\":\"x\",\"reasoning\":\"r\"}",
        "\"stop\"",
        null)).at("/content/0/type").asText());
  }

  @Test
  void emptyTextIsSkipped() {
    assertEquals(json("[]"), message(completion("{\"role\":\"assistant\",\"content\":\"\"}", "\"stop\"",
        null)).get("content"));
    assertEquals(json("[]"), message(completion("{\"role\":\"assistant\",\"content\":null}", "\"stop\"",
        null)).get("content"));
  }

  @Test
  void toolIdsAreSanitizedNamesMappedBackAndMissingIdsGenerated() {
    MessagesContext context = new MessagesContext("msg_test", "m", 1, builderFor("browser.navigate"));
    JsonNode content = message(completion("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
        + "{\"id\":\"functions.browser_navigate:0\",\"type\":\"function\",\"function\":{\"name\":\"browser_navigate\","
        + "\"arguments\":\"{\\\"url\\\":\\\"https://example.com\\\"}\"}},"
        + "{\"type\":\"function\",\"function\":{\"name\":\"Bash\",\"arguments\":\"{}\"}}]}", "\"tool_calls\"", null),
        context).get("content");
    assertEquals("toolu_b64_ZnVuY3Rpb25zLmJyb3dzZXJfbmF2aWdhdGU6MA", content.at("/0/id").asText());
    assertEquals("functions.browser_navigate:0", ToolIds.toUpstream(content.at("/0/id").asText()));
    assertEquals("browser.navigate", content.at("/0/name").asText());
    assertTrue(content.at("/1/id").asText().matches("toolu_[0-9A-Za-z]{24}"), content.at("/1/id").asText());
  }

  @Test
  void argumentsThatAreEmptyUnparseableOrNotAnObjectBecomeEmptyObjects() {
    for (String arguments : new String[] {"\"\"", "\"{'a': 1}\"", "\"[1,2]\"", "\"{\\\"a\\\":\"", "null"}) {
      JsonNode content = message(completion("{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\","
          + "\"type\":\"function\","
          + "\"function\":{\"name\":\"f\",\"arguments\":" + arguments + "}}]}", "\"tool_calls\"", null)).get("content");
      assertEquals(json("{}"), content.at("/0/input"), arguments);
    }
    JsonNode objectArguments = message(completion("{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\","
        + "\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}}]}", "\"tool_calls\"", null)).get("content");
    assertEquals(json("{\"a\":1}"), objectArguments.at("/0/input"));
  }

  @Test
  void stopReasonRowsWithTheToolUseOverride() {
    assertEquals("max_tokens", stopReason("{\"role\":\"assistant\",\"content\":\"x\"}", "\"length\""));
    assertEquals("refusal", stopReason("{\"role\":\"assistant\",\"content\":\"x\"}", "\"content_filter\""));
    assertEquals("end_turn", stopReason("{\"role\":\"assistant\",\"content\":\"x\"}", "null"));
    // Several upstreams finish with "stop" after tool calls: the answer still says tool_use.
    assertEquals("tool_use",
        stopReason("{\"role\":\"assistant\",\"content\":\"Running it.\",\"tool_calls\":[{\"id\":\"c\","
        + "\"type\":\"function\",\"function\":{\"name\":\"Bash\",\"arguments\":\"{}\"}}]}", "\"stop\""));
  }

  @Test
  void aToolCallCutByTheTokenLimitIsMaxTokensSoTheClientDoesNotRunIt() {
    JsonNode message = message(completion("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\","
        + "\"type\":\"function\",\"function\":{\"name\":\"Write\",\"arguments\":\"{\\\"content\\\": \\\"abc\"}}]}",
        "\"length\"", null));
    assertEquals("max_tokens", message.get("stop_reason").asText());
    assertEquals(json("[{\"type\":\"tool_use\",\"id\":\"c\",\"name\":\"Write\",\"input\":{}}]"),
        message.get("content"), "the cut call is still shown, as Anthropic shows it");
  }

  private static String stopReason(String message, String finishReason) {
    return message(completion(message, finishReason, null)).get("stop_reason").asText();
  }

  @Test
  void usageSubtractsCachedTokensAndFallsBackToTheEstimate() {
    assertEquals(json("{\"input_tokens\":176,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1024,"
        + "\"output_tokens\":80}"), message(completion("{\"role\":\"assistant\",\"content\":\"x\"}", "\"stop\"",
            "{\"prompt_tokens\":1200,\"completion_tokens\":80,\"prompt_tokens_details\":{\"cached_tokens\":1024}}"))
        .get("usage"));
    assertEquals(321, message(completion("{\"role\":\"assistant\",\"content\":\"x\"}", "\"stop\"", null))
        .at("/usage/input_tokens").intValue());
  }

  @Test
  void contentPartsArraysAreReadAsText() {
    assertEquals("ab", message(completion("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
        + "{\"type\":\"text\",\"text\":\"b\"}]}", "\"stop\"", null)).at("/content/0/text").asText());
  }

  @Test
  void aCompletionWithoutAChoiceIsABrokenAnswerNotAnEmptyMessage() {
    for (String completion : new String[] {"{\"id\":\"x\",\"choices\":[]}", "{\"id\":\"x\"}",
        "{\"id\":\"x\",\"choices\":[null]}"}) {
      // The relay turns any exception into a broken answer: it fails over, else the client gets a 502.
      assertThrows(IllegalArgumentException.class, () -> message(completion), completion);
    }
  }

  static ToolNames builderFor(String... originals) {
    ToolNames.Builder builder = new ToolNames.Builder();
    for (String original : originals) {
      builder.upstreamName(original);
    }
    return builder.build();
  }
}
