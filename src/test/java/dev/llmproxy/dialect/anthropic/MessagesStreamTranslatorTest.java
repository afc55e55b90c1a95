package dev.llmproxy.dialect.anthropic;

import static dev.llmproxy.dialect.anthropic.MessagesRequestTranslatorTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.buffers.BufferBudgetExceededException;
import dev.llmproxy.dialect.EventSink;
import dev.llmproxy.testing.AnthropicEventGrammar;
import dev.llmproxy.testing.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §4, step by step, each stream checked against the whole grammar. */
class MessagesStreamTranslatorTest {
  private final MessagesContext context = new MessagesContext("msg_stream", "claude-sonnet-4-5", 4321,
      MessagesResponseTranslatorTest.builderFor("browser.navigate"));
  private final MessagesStreamTranslator translator = new MessagesStreamTranslator(context);
  private final RecordingSink sink = new RecordingSink();

  private static String delta(String delta) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta
        + ",\"finish_reason\":null}]}";
  }

  private static String finish(String reason) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
        + "\"finish_reason\":\"" + reason + "\"}]}";
  }

  private static String usage(String usage) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":" + usage + "}";
  }

  /** A tool-call fragment; {@code arguments} is the raw fragment text. */
  private static String tool(int index, String id, String name, String arguments) {
    StringBuilder fragment = new StringBuilder("{\"index\":").append(index);
    if (id != null) {
      fragment.append(",\"id\":\"").append(id).append("\",\"type\":\"function\"");
    }
    fragment.append(",\"function\":{");
    if (name != null) {
      fragment.append("\"name\":\"").append(name).append("\",");
    }
    fragment.append("\"arguments\":").append(com.fasterxml.jackson.databind.node.TextNode.valueOf(arguments));
    return fragment.append("}}").toString();
  }

  private static String tools(String... fragments) {
    return delta("{\"tool_calls\":[" + String.join(",", fragments) + "]}");
  }

  private void feed(String... chunks) {
    for (String chunk : chunks) {
      translator.onChunk(json(chunk), sink);
    }
  }

  private AnthropicEventGrammar.Message end() {
    translator.onEnd(sink);
    return AnthropicEventGrammar.check(sink.events());
  }

  private List<String> deltasOf(int index) {
    return sink.events().stream().filter(e -> "content_block_delta".equals(e.event()))
        .map(SseEvent::json).filter(d -> d.get("index").intValue() == index)
        .map(d -> d.get("delta").path("partial_json").asText(d.get("delta").path("text").asText()))
        .toList();
  }

  @Test
  void messageStartGoesOutOnTheFirstChunkWithTheInputEstimate() {
    assertFalse(translator.started());
    feed(delta("{\"role\":\"assistant\",\"content\":\"\"}"));
    assertTrue(translator.started());
    assertEquals(List.of("message_start"), sink.names());
    JsonNode message = sink.events().get(0).json().get("message");
    assertEquals(json("{\"id\":\"msg_stream\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude-sonnet-4-5\","
        + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":4321,"
        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":0}}"), message);
  }

  @Test
  void textStreamsAsOneTextBlockAndEndsWithUsage() {
    feed(delta("{\"role\":\"assistant\",\"content\":\"\"}"), delta("{\"content\":\"Hel\"}"),
        delta("{\"content\":\"lo\"}"),
        finish("stop"), usage("{\"prompt_tokens\":40,\"completion_tokens\":2,\"total_tokens\":42}"));
    assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_delta"),
        sink.names());
    AnthropicEventGrammar.Message message = end();
    assertEquals(List.of(json("{\"type\":\"text\",\"text\":\"Hello\"}")), message.content());
    assertEquals("end_turn", message.stopReason());
    assertEquals(json("{\"input_tokens\":40,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
        + "\"output_tokens\":2}"), message.usage());
    assertEquals(List.of("content_block_stop", "message_delta", "message_stop"),
        sink.names().subList(sink.names().size() - 3, sink.names().size()));
  }

  @Test
  void reasoningBecomesAThinkingBlockBeforeTheText() {
    feed(delta("{\"role\":\"assistant\",\"reasoning_content\":\"Think\"}"), delta("{\"reasoning_content\":\"ing.\"}"),
        delta("{\"content\":\"Answer\",\"reasoning_content\":null}"), delta("{\"reasoning\":\"more\"}"),
        finish("stop"));
    AnthropicEventGrammar.Message message = end();
    assertEquals(List.of(json("{\"type\":\"thinking\",\"thinking\":\"Thinking.\",\"signature\":\"\"}"),
        json("{\"type\":\"text\",\"text\":\"Answer\"}"),
        json("{\"type\":\"thinking\",\"thinking\":\"more\",\"signature\":\"\"}")), message.content());
  }

  @Test
  void toolArgumentsStreamLiveWhileTheirBlockIsOpen() {
    feed(delta("{\"role\":\"assistant\",\"content\":\"Checking.\"}"),
        tools(tool(0, "call_1", "Bash", "")));
    assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start"), sink.names());
    feed(tools(tool(0, null, null, "{\"comm")));
    assertEquals(List.of("{\"comm"), deltasOf(1), "sent as soon as it arrived");
    feed(tools(tool(0, null, null, "and\": \"ls\"}")), finish("tool_calls"));
    AnthropicEventGrammar.Message message = end();
    assertEquals(json("{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}"),
        message.content().get(1));
    assertEquals("tool_use", message.stopReason());
  }

  @Test
  void sequentialParallelCallsEachStreamLive() {
    feed(tools(tool(0, "call_1", "Read", "{\"file_path\":")), tools(tool(0, null, null, "\"/a\"}")),
        tools(tool(1, "call_2", "Read", "{\"file_path\":")));
    assertEquals(List.of("{\"file_path\":", "\"/a\"}"), deltasOf(0));
    assertEquals(List.of("{\"file_path\":"), deltasOf(1), "the second call started once the first was complete");
    feed(tools(tool(1, null, null, "\"/b\"}")), finish("tool_calls"));
    AnthropicEventGrammar.Message message = end();
    assertEquals(2, message.content().size());
    assertEquals(json("{\"file_path\":\"/b\"}"), message.content().get(1).get("input"));
  }

  @Test
  void interleavedCallsWaitUntilThePreviousOneIsCompleteThenFlushTheirBuffer() {
    feed(tools(tool(0, "functions.Bash:0", "Bash", "{\"command\":")),
        tools(tool(1, "functions.Read:1", "Read", "{\"file_")),
        tools(tool(0, null, null, " \"ls\"")),
        tools(tool(1, null, null, "path\":")));
    assertEquals(1, sink.names().stream().filter("content_block_start"::equals).count(), "Read waits");
    feed(tools(tool(0, null, null, "}")));
    assertEquals(List.of("{\"file_path\":"), deltasOf(1), "Read started with its buffered fragments");
    feed(tools(tool(1, null, null, " \"/a\"}")), finish("tool_calls"));
    AnthropicEventGrammar.Message message = end();
    assertEquals(json("{\"type\":\"tool_use\",\"id\":\"toolu_b64_ZnVuY3Rpb25zLkJhc2g6MA\",\"name\":\"Bash\","
        + "\"input\":{\"command\":\"ls\"}}"), message.content().get(0));
    assertEquals(json("{\"type\":\"tool_use\",\"id\":\"toolu_b64_ZnVuY3Rpb25zLlJlYWQ6MQ\",\"name\":\"Read\","
        + "\"input\":{\"file_path\":\"/a\"}}"), message.content().get(1));
  }

  @Test
  void callsAnnouncedUpFrontStartInTurnAsEachCompletes() {
    feed(tools(tool(0, "a", "One", ""), tool(1, "b", "Two", ""), tool(2, "c", "Three", "")),
        tools(tool(0, null, null, "{}")), tools(tool(1, null, null, "{\"x\":")), tools(tool(1, null, null, "1}")),
        tools(tool(2, null, null, "{\"y\":2}")), finish("tool_calls"));
    AnthropicEventGrammar.Message message = end();
    assertEquals(List.of("One", "Two", "Three"), message.content().stream().map(b -> b.get("name").asText()).toList());
    assertEquals(json("{\"x\":1}"), message.content().get(1).get("input"));
    assertEquals(json("{\"y\":2}"), message.content().get(2).get("input"));
  }

  @Test
  void argumentsBeforeTheNameAreBufferedUntilTheBlockStarts() {
    feed(tools(tool(0, "call_1", null, "{\"a\":")), tools(tool(0, null, "Bash", "1}")));
    assertEquals(List.of("{\"a\":1}"), deltasOf(0), "the buffer and the fragment that named the call, at once");
    assertEquals("tool_use", end().stopReason());
  }

  @Test
  void callsWithoutANameStartAtTheEndWithAPlaceholderAndAGeneratedId() {
    feed(delta("{\"content\":\"hi\"}"), tools(tool(3, null, null, "{\"q\":1}")), finish("tool_calls"));
    AnthropicEventGrammar.Message message = end();
    JsonNode block = message.content().get(1);
    assertEquals("tool_3", block.get("name").asText());
    assertTrue(block.get("id").asText().matches("toolu_[0-9A-Za-z]{24}"), block.toString());
    assertEquals(json("{\"q\":1}"), block.get("input"));
  }

  @Test
  void laterRepeatsOfIdAndNameDoNotRenameTheBlock() {
    feed(tools(tool(0, "call_1", "Bash", "{")), tools(tool(0, "call_X", "Other", "}")));
    JsonNode block = end().content().get(0);
    assertEquals("call_1", block.get("id").asText());
    assertEquals("Bash", block.get("name").asText());
  }

  @Test
  void toolNamesAreMappedBackToTheClients() {
    feed(tools(tool(0, "call_1", "browser_navigate", "{}")));
    assertEquals("browser.navigate", end().content().get(0).get("name").asText());
  }

  @Test
  void callsWithoutIndexAreKeyedByPosition() {
    feed(delta("{\"tool_calls\":[{\"id\":\"a\",\"function\":{\"name\":\"One\",\"arguments\":\"{}\"}},"
        + "{\"id\":\"b\",\"function\":{\"name\":\"Two\",\"arguments\":\"{}\"}}]}"));
    assertEquals(List.of("One", "Two"), end().content().stream().map(b -> b.get("name").asText()).toList());
  }

  @Test
  void emptyContentAndEmptyToolCallsAreIgnored() {
    feed(delta("{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[]}"),
        delta("{\"content\":\"Hello\",\"tool_calls\":[]}"), delta("{\"content\":null,\"tool_calls\":null}"),
        finish("stop"));
    AnthropicEventGrammar.Message message = end();
    assertEquals(List.of(json("{\"type\":\"text\",\"text\":\"Hello\"}")), message.content());
    assertEquals("end_turn", message.stopReason());
    assertFalse(sink.sse().contains("input_json_delta"));
  }

  @Test
  void stopAfterToolCallsStillSaysToolUse() {
    feed(delta("{\"content\":\"I'll run it.\"}"), tools(tool(0, "call_1", "Bash", "{\"command\":\"ls\"}")),
        finish("stop"));
    assertEquals("tool_use", end().stopReason());
  }

  @Test
  void lengthIsMaxTokens() {
    feed(delta("{\"content\":\"cut\"}"), finish("length"));
    assertEquals("max_tokens", end().stopReason());
  }

  @Test
  void aToolCallCutByTheTokenLimitIsMaxTokensSoTheClientDoesNotRunIt() {
    feed(tools(tool(0, "call_1", "Write", "{\"content\": \"abc")), finish("length"));
    translator.onEnd(sink);
    // Not AnthropicEventGrammar.check: the cut input is not JSON, exactly as Anthropic streams such a call.
    assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop"), sink.names());
    assertEquals(List.of("{\"content\": \"abc"), deltasOf(0));
    assertEquals("max_tokens", sink.events().get(4).json().at("/delta/stop_reason").asText());
  }

  @Test
  void usageSubtractsCachedTokensAndIsSentOnce() {
    feed(delta("{\"content\":\"x\"}"), finish("stop"), usage("{\"prompt_tokens\":2000,\"completion_tokens\":50,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1920},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":10}}"));
    assertEquals(json("{\"input_tokens\":80,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1920,"
        + "\"output_tokens\":50}"), end().usage());
  }

  @Test
  void withoutAUsageChunkTheEstimateStandsAndOutputTokensIsStillThere() {
    feed(delta("{\"content\":\"x\"}"), finish("stop"));
    JsonNode usage = end().usage();
    assertEquals(4321, usage.get("input_tokens").intValue());
    assertEquals(0, usage.get("output_tokens").intValue());
  }

  @Test
  void nullUsageOnEveryChunkDoesNotHideTheRealOne() {
    feed("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":null}],\"usage\":null}",
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,"
            + "\"completion_tokens\":1}}",
        "{\"choices\":[],\"usage\":null}");
    assertEquals(9, end().usage().get("input_tokens").intValue());
  }

  @Test
  void failureAfterTheStartIsAnErrorEventAndNothingElse() {
    feed(delta("{\"content\":\"partial\"}"));
    translator.onFailure(529, "Upstream overloaded", sink);
    translator.onEnd(sink);
    translator.onChunk(json(delta("{\"content\":\"late\"}")), sink);
    AnthropicEventGrammar.Message message = AnthropicEventGrammar.check(sink.events());
    assertEquals(json("{\"type\":\"overloaded_error\",\"message\":\"Upstream overloaded\"}"), message.error());
    assertNull(message.stopReason());
    assertFalse(sink.names().contains("message_delta"));
    assertFalse(sink.names().contains("message_stop"));
    assertEquals("error", sink.names().get(sink.names().size() - 1));
  }

  @Test
  void anEndThatDidNotFitTheBudgetIsFollowedByTheErrorEvent() {
    feed(delta("{\"content\":\"partial\"}"));
    EventSink refusing = (name, json) -> {
      if ("message_delta".equals(name)) {
        throw new BufferBudgetExceededException(json.length);
      }
      sink.event(name, json);
    };
    assertThrows(BufferBudgetExceededException.class, () -> translator.onEnd(refusing));
    translator.onFailure(503, "busy", sink);
    translator.onFailure(503, "again", sink);
    assertEquals("error", sink.names().get(sink.names().size() - 1));
    assertEquals(1, sink.names().stream().filter("error"::equals).count(), "told once");
    assertFalse(sink.names().contains("message_stop"));
  }

  @Test
  void aStreamedRefusalIsText() {
    feed(delta("{\"content\":null,\"refusal\":\"I can't \"}"), delta("{\"refusal\":\"help.\"}"));
    assertEquals("I can't help.", end().content().get(0).get("text").asText());
  }

  @Test
  void callsWithoutAnIndexButEachWithItsOwnIdAreTwoToolUses() {
    feed(delta("{\"tool_calls\":[{\"id\":\"cA\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"i\\\":1}\"}}]}"),
        delta("{\"tool_calls\":[{\"id\":\"cB\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"i\\\":2}\"}}]}"));
    List<ObjectNode> content = end().content();
    assertEquals(2, content.size(), content.toString());
    assertEquals("cA", content.get(0).get("id").asText());
    assertEquals(1, content.get(0).get("input").get("i").asInt());
    assertEquals("cB", content.get(1).get("id").asText());
    assertEquals(2, content.get(1).get("input").get("i").asInt());
  }

  @Test
  void failureTypesFollowTheStatus() {
    feed(delta("{\"content\":\"partial\"}"));
    translator.onFailure(502, "Upstream connection lost", sink);
    assertEquals("api_error", sink.events().get(sink.events().size() - 1).json().at("/error/type").asText());
  }

  @Test
  void anEmptyStreamStillEndsAsAMessage() {
    AnthropicEventGrammar.Message message = end();
    assertEquals(List.of("message_start", "message_delta", "message_stop"), sink.names());
    assertEquals(List.of(), message.content());
  }

  @Test
  void nothingFollowsTheEnd() {
    feed(delta("{\"content\":\"x\"}"));
    translator.onEnd(sink);
    int count = sink.names().size();
    translator.onEnd(sink);
    translator.onChunk(json(delta("{\"content\":\"y\"}")), sink);
    translator.onFailure(500, "late", sink);
    assertEquals(count, sink.names().size());
  }

  @Test
  void textArrivingWhileAToolMayStillGrowWaitsForItsArguments() {
    feed(tools(tool(0, "call_1", "Bash", "{\"command\":")), delta("{\"content\":\"Also, \"}"),
        delta("{\"reasoning_content\":\"hmm\"}"), tools(tool(1, "call_2", "Read", "{}")));
    assertEquals(List.of("message_start", "content_block_start", "content_block_delta"), sink.names(), "all wait");
    feed(tools(tool(0, null, null, "\"ls\"}")), delta("{\"content\":\"done\"}"));
    AnthropicEventGrammar.Message message = end();
    assertEquals(List.of(json("{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"Bash\","
        + "\"input\":{\"command\":\"ls\"}}"),
        json("{\"type\":\"text\",\"text\":\"Also, \"}"),
        json("{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"\"}"),
        json("{\"type\":\"tool_use\",\"id\":\"call_2\",\"name\":\"Read\",\"input\":{}}"),
        json("{\"type\":\"text\",\"text\":\"done\"}")), message.content());
  }

  @Test
  void textWaitingForAToolThatNeverCompletesComesOutAtTheEnd() {
    feed(tools(tool(0, "call_1", "Bash", "{\"command\":")), delta("{\"content\":\"tail\"}"), finish("length"));
    translator.onEnd(sink);
    List<String> names = sink.names();
    assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"), names);
    assertEquals("tail", sink.events().get(5).json().at("/delta/text").asText());
  }

  @Test
  void strayFragmentsForACompletedAndClosedCallAreDropped() {
    feed(tools(tool(0, "call_1", "Bash", "{}")), delta("{\"content\":\"x\"}"), tools(tool(0, null, null, " ")));
    AnthropicEventGrammar.Message message = end();
    assertEquals(json("{}"), message.content().get(0).get("input"));
    assertEquals(List.of("{}"), deltasOf(0));
  }

  /** The input the whole-answer path gives a call with these arguments. */
  private JsonNode nonStreamedInput(String arguments) {
    String completion = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\","
        + "\"type\":\"function\",\"function\":{\"name\":\"Bash\",\"arguments\":"
        + com.fasterxml.jackson.databind.node.TextNode.valueOf(arguments) + "}}]},\"finish_reason\":\"tool_calls\"}]}";
    return json(new String(MessagesResponseTranslator.toMessage(json(completion), context),
        java.nio.charset.StandardCharsets.UTF_8)).at("/content/0/input");
  }

  @Test
  void argumentsThatAreNoObjectGiveTheEmptyInputAsTheWholeAnswerDoes() {
    List<String> notObjects = List.of("[1,2]", "\"x\"", " 42", "nope {", "{\"a\":1,,}", "{\"a\":1} x");
    for (int i = 0; i < notObjects.size(); i++) {
      feed(tools(tool(i, "call_" + i, "Bash", notObjects.get(i))));
    }
    feed(finish("tool_calls"));
    AnthropicEventGrammar.Message message = end();
    assertEquals(notObjects.size(), message.content().size());
    for (int i = 0; i < notObjects.size(); i++) {
      assertEquals(json("{}"), message.content().get(i).get("input"), notObjects.get(i));
      assertEquals(nonStreamedInput(notObjects.get(i)), message.content().get(i).get("input"), notObjects.get(i));
    }
    assertFalse(sink.sse().contains("input_json_delta"), sink.sse());
  }

  @Test
  void argumentsInSeveralFragmentsThatAreNoObjectNeverReachTheClient() {
    feed(tools(tool(0, "call_1", "Bash", " ")), tools(tool(0, null, null, "[1,")), tools(tool(0, null, null, "2]")),
        delta("{\"content\":\"after\"}"), finish("tool_calls"));
    AnthropicEventGrammar.Message message = end();
    assertEquals(json("{}"), message.content().get(0).get("input"));
    assertEquals(json("{\"type\":\"text\",\"text\":\"after\"}"), message.content().get(1),
        "text needs not wait for a call that can send nothing more");
    assertFalse(sink.sse().contains("input_json_delta"), sink.sse());
  }

  @Test
  void anObjectThatTurnsMalformedBeforeItsBlockStartsGivesTheEmptyInput() {
    feed(tools(tool(0, "call_1", null, "{\"a\":")), tools(tool(0, null, null, "tru}")),
        tools(tool(0, null, "Bash", "")), finish("tool_calls"));
    AnthropicEventGrammar.Message message = end();
    assertEquals(json("{}"), message.content().get(0).get("input"));
    assertFalse(sink.sse().contains("input_json_delta"), sink.sse());
  }

  @Test
  void anObjectThatTurnsMalformedAfterPartWasSentEndsTheStreamWithAnError() {
    feed(tools(tool(0, "call_1", "Bash", "{\"command\":")), tools(tool(0, null, null, " \"ls\" ]")),
        delta("{\"content\":\"late\"}"));
    translator.onEnd(sink);
    AnthropicEventGrammar.Message message = AnthropicEventGrammar.check(sink.events());
    assertEquals("api_error", message.error().get("type").asText());
    assertEquals(List.of("{\"command\":"), deltasOf(0), "the malformed fragment is held back");
    assertEquals("error", sink.names().get(sink.names().size() - 1));
    assertFalse(sink.names().contains("message_stop"));
  }

  @Test
  void anObjectLeftOpenAtAnEndOtherThanTheTokenLimitEndsTheStreamWithAnError() {
    feed(tools(tool(0, "call_1", "Bash", "{\"command\": \"l")), finish("tool_calls"));
    translator.onEnd(sink);
    assertEquals("api_error", AnthropicEventGrammar.check(sink.events()).error().get("type").asText());
    assertFalse(sink.names().contains("message_stop"));
  }

  @Test
  void whitespaceAroundAnObjectIsFine() {
    feed(tools(tool(0, "call_1", "Bash", "  \n")), tools(tool(0, null, null, " {\"a\": [1, {\"b\": \"}\"}]")),
        tools(tool(0, null, null, "} \n")), finish("tool_calls"));
    assertEquals(json("{\"a\":[1,{\"b\":\"}\"}]}"), end().content().get(0).get("input"), sink.sse());
  }

  @Test
  void onlyTheFirstChoiceIsTold() {
    feed(delta("{\"content\":\"one\"}"),
        "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"OTHER\",\"tool_calls\":[" + tool(0, "x", "Bash", "{}")
            + "]},\"finish_reason\":\"length\"}]}",
        "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"OTHER\"},\"finish_reason\":null},"
            + "{\"index\":0,\"delta\":{\"content\":\" two\"},\"finish_reason\":null}]}",
        finish("stop"));
    AnthropicEventGrammar.Message message = end();
    assertEquals(List.of(json("{\"type\":\"text\",\"text\":\"one two\"}")), message.content());
    assertEquals("end_turn", message.stopReason());
  }
}
