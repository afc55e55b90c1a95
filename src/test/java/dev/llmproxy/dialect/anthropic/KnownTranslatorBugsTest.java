package dev.llmproxy.dialect.anthropic;

import static dev.llmproxy.dialect.anthropic.MessagesRequestTranslatorTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.testing.AnthropicEventGrammar;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One test per bug users reported in other Anthropic-to-OpenAI translators (spec §9), each in the shape
 * that broke there. The rows of the spec's tables are covered by the per-class tests.
 */
class KnownTranslatorBugsTest {
  private static final MessagesContext CONTEXT = new MessagesContext("msg_bugs", "claude-sonnet-4-5", 5000,
      ToolNames.none());
  private static final Pattern ANTHROPIC_ID = Pattern.compile("^[a-zA-Z0-9_-]+$");

  private static AnthropicEventGrammar.Message stream(String... chunks) {
    RecordingSink sink = new RecordingSink();
    MessagesStreamTranslator translator = new MessagesStreamTranslator(CONTEXT);
    for (String chunk : chunks) {
      translator.onChunk(json(chunk), sink);
    }
    translator.onEnd(sink);
    return AnthropicEventGrammar.check(sink.events());
  }

  private static JsonNode answer(String completion) {
    return json(new String(MessagesResponseTranslator.toMessage(json(completion), CONTEXT), StandardCharsets.UTF_8));
  }

  private static String chunk(String delta, String finish) {
    return "{\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}";
  }

  /** Bug 1: text and a tool call, then finish_reason "stop": the client must still run the tool. */
  @Test
  void bug1TextThenToolCallIsToolUseStreamedAndNot() {
    assertEquals("tool_use", stream(chunk("{\"role\":\"assistant\",\"content\":\"Let me check.\"}", "null"),
        chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"Bash\","
            + "\"arguments\":\"{\\\"command\\\":\\\"ls\\\"}\"}}]}", "null"),
        chunk("{}", "\"stop\"")).stopReason());
    assertEquals("tool_use", answer("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Let me check.\","
        + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"Bash\","
        + "\"arguments\":\"{}\"}}]},"
        + "\"finish_reason\":\"stop\"}]}").get("stop_reason").asText());
  }

  /** Bug 2: message_start with input_tokens 0 leaves context meters at 0% and compaction off. */
  @Test
  void bug2MessageStartCarriesTheLocalEstimate() {
    JsonNode body = json("{\"model\":\"m\",\"system\":\"You are Claude Code.\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Refactor the relay.\"}],\"tools\":[{\"name\":\"Bash\","
        + "\"input_schema\":{\"type\":\"object\"}}]}");
    MessagesContext context = MessagesRequestTranslator.translate(body).context();
    RecordingSink sink = new RecordingSink();
    new MessagesStreamTranslator(context).onChunk(json(chunk("{\"role\":\"assistant\"}", "null")), sink);
    long estimate = sink.events().get(0).json().at("/message/usage/input_tokens").longValue();
    assertEquals(AnthropicTokenCount.count(body), estimate);
    assertTrue(estimate > 10, "estimate " + estimate);
  }

  /** Bug 3: cached tokens lost or counted twice. */
  @Test
  void bug3CachedTokensAreReportedOnceStreamedAndNot() {
    String usage = "{\"prompt_tokens\":10000,\"completion_tokens\":100,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":9000}}";
    JsonNode streamed = stream(chunk("{\"content\":\"x\"}", "\"stop\""),
        "{\"choices\":[],\"usage\":" + usage + "}").usage();
    JsonNode answered = answer("{\"choices\":[{\"message\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}],\"usage\":"
        + usage + "}").get("usage");
    for (JsonNode counts : List.of(streamed, answered)) {
      assertEquals(1000, counts.get("input_tokens").intValue());
      assertEquals(9000, counts.get("cache_read_input_tokens").intValue());
      assertEquals(10000, counts.get("input_tokens").intValue() + counts.get("cache_read_input_tokens").intValue()
          + counts.get("cache_creation_input_tokens").intValue(), "Anthropic's total input equals prompt_tokens");
    }
  }

  /** Bug 4: tool ids like functions.Bash:0 poison the transcript; they must match the pattern and come back. */
  @Test
  void bug4ToolIdsMatchThePatternAndRoundTrip() {
    String id = stream(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"functions.Bash:0\",\"type\":\"function\","
        + "\"function\":{\"name\":\"Bash\",\"arguments\":\"{}\"}}]}",
        "\"tool_calls\"")).content().get(0).get("id").asText();
    String answered = answer("{\"choices\":[{\"message\":{\"tool_calls\":[{\"id\":\"functions.Bash:0\","
        + "\"type\":\"function\","
        + "\"function\":{\"name\":\"Bash\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}")
        .at("/content/0/id").asText();
    assertEquals(id, answered);
    assertTrue(ANTHROPIC_ID.matcher(id).matches(), id);
    JsonNode next = MessagesRequestTranslator.translate(json("{\"model\":\"m\",\"messages\":["
        + "{\"role\":\"user\",\"content\":\"list\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"Bash\","
        + "\"input\":{}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + id + "\","
        + "\"content\":\"a b\"}]}]}"))
        .chatBody().get("messages");
    assertEquals("functions.Bash:0", next.at("/1/tool_calls/0/id").asText());
    assertEquals("functions.Bash:0", next.at("/2/tool_call_id").asText());
  }

  /** Bug 5: tool results must follow the assistant tool_calls directly, before any other message. */
  @Test
  void bug5ToolResultsFollowTheirCallsDirectly() {
    JsonNode messages = MessagesRequestTranslator.translate(json("{\"model\":\"m\",\"messages\":["
        + "{\"role\":\"user\",\"content\":\"go\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Two calls.\"},"
        + "{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"Bash\",\"input\":{}},"
        + "{\"type\":\"tool_use\",\"id\":\"b\",\"name\":\"Bash\",\"input\":{}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"<system-reminder>x</system-reminder>\"},"
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"a\",\"content\":\"1\"},"
        + "{\"type\":\"text\",\"text\":\"and\"},"
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"b\",\"content\":\"2\"}]}]}")).chatBody().get("messages");
    List<String> roles = new java.util.ArrayList<>();
    messages.forEach(m -> roles.add(m.get("role").asText()));
    assertEquals(List.of("user", "assistant", "tool", "tool", "user"), roles);
    assertEquals(2, messages.at("/1/tool_calls").size(), "text and calls in one assistant message");
    assertEquals("a", messages.at("/2/tool_call_id").asText());
    assertEquals("b", messages.at("/3/tool_call_id").asText());
  }

  /** Bug 6: count_tokens that misses the system prompt and the tools undercounts Claude Code's context. */
  @Test
  void bug6CountTokensIncludesSystemAndTools() {
    String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    long bare = AnthropicTokenCount.count(json("{" + messages + "}"));
    long withSystem = AnthropicTokenCount.count(json("{\"system\":[{\"type\":\"text\",\"text\":\"You are Claude Code, "
        + "Anthropic's official CLI.\"}]," + messages + "}"));
    long withTools = AnthropicTokenCount.count(json("{\"system\":[{\"type\":\"text\",\"text\":\"You are Claude Code, "
        + "Anthropic's official CLI.\"}]," + messages + ",\"tools\":[{\"name\":\"Bash\","
        + "\"description\":\"Run a command\","
        + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}}}}]}"));
    assertTrue(bare < withSystem && withSystem < withTools, bare + " < " + withSystem + " < " + withTools);
  }

  /** Bug 7: stop_sequences silently dropped on /v1/messages. */
  @Test
  void bug7StopSequencesReachTheUpstream() {
    assertEquals(json("[\"</answer>\"]"),
        MessagesRequestTranslator.translate(json("{\"model\":\"m\",\"stop_sequences\":"
        + "[\"</answer>\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).chatBody().get("stop"));
  }

  /** Bug 8: OpenAI-shaped errors ("type": "None") and a 503 that never became overloaded_error. */
  @Test
  void bug8ErrorsUseAnthropicsEnvelopeAndTypes() {
    for (int[] row : new int[][] {{429, 0}, {500, 1}, {503, 2}, {404, 3}, {401, 4}}) {
      JsonNode body = json(new String(AnthropicErrors.body(row[0], "m"), StandardCharsets.UTF_8));
      assertEquals("error", body.get("type").asText());
      assertEquals(List.of("rate_limit_error", "api_error", "overloaded_error", "not_found_error",
          "authentication_error").get(row[1]), body.at("/error/type").asText());
      assertFalse(body.has("code") || body.get("error").has("param"), body.toString());
    }
  }

  /** Bug 9: vLLM's content plus "tool_calls": [] became an empty input_json_delta instead of text. */
  @Test
  void bug9ContentWithEmptyToolCallsIsText() {
    AnthropicEventGrammar.Message message = stream(chunk("{\"content\":\"Hello\",\"tool_calls\":[]}", "null"),
        chunk("{\"content\":\"\",\"tool_calls\":[]}", "\"stop\""));
    assertEquals(List.of(json("{\"type\":\"text\",\"text\":\"Hello\"}")), message.content());
    assertEquals("end_turn", message.stopReason());
  }

  /**
   * Bug 10: Claude Code's max_tokens above an upstream's limit. The clamp is the relay's, per model; the
   * translator hands it max_tokens as a plain top-level integer to clamp.
   */
  @Test
  void bug10MaxTokensIsATopLevelIntegerForTheRelayToClamp() {
    JsonNode value = MessagesRequestTranslator.translate(json("{\"model\":\"m\",\"max_tokens\":64000,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).chatBody().get("max_tokens");
    assertTrue(value.isInt());
    assertEquals(64000, value.intValue());
  }
}
