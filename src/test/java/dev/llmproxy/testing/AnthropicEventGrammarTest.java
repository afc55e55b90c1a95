package dev.llmproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicEventGrammarTest {
  private static final String START = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
      + "\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":10,\"output_tokens\":0}}}";
  private static final String TEXT_START =
      "{\"type\":\"content_block_start\",\"index\":%d,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}";
  private static final String TOOL_START = "{\"type\":\"content_block_start\",\"index\":%d,\"content_block\":"
      + "{\"type\":\"tool_use\",\"id\":\"%s\",\"name\":\"Bash\",\"input\":{}}}";
  private static final String TEXT_DELTA =
      "{\"type\":\"content_block_delta\",\"index\":%d,\"delta\":{\"type\":\"text_delta\",\"text\":\"%s\"}}";
  private static final String JSON_DELTA = "{\"type\":\"content_block_delta\",\"index\":%d,"
      + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"%s\"}}";
  private static final String STOP = "{\"type\":\"content_block_stop\",\"index\":%d}";
  private static final String DELTA = "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"%s\","
      + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}";
  private static final String MESSAGE_STOP = "{\"type\":\"message_stop\"}";
  private static final String PING = "{\"type\":\"ping\"}";
  private static final String ERROR = "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"cut\"}}";

  /** Events from alternating name, data arguments. */
  private static List<SseEvent> events(String... nameAndData) {
    List<SseEvent> events = new ArrayList<>();
    for (int i = 0; i < nameAndData.length; i += 2) {
      events.add(new SseEvent(nameAndData[i], nameAndData[i + 1], null, List.of()));
    }
    return events;
  }

  private static String violation(List<SseEvent> events) {
    return assertThrows(AssertionError.class, () -> AnthropicEventGrammar.check(events)).getMessage();
  }

  @Test
  void aWellFormedStreamIsAccumulatedLikeAClientWould() {
    AnthropicEventGrammar.Message message = AnthropicEventGrammar.check(events(
        "message_start", START, "ping", PING,
        "content_block_start", TEXT_START.formatted(0), "content_block_delta", TEXT_DELTA.formatted(0, "Hi "),
        "content_block_delta", TEXT_DELTA.formatted(0, "there"), "content_block_stop", STOP.formatted(0),
        "content_block_start", TOOL_START.formatted(1, "toolu_1"), "ping", PING,
        "content_block_delta", JSON_DELTA.formatted(1, "{\\\"a\\\":"),
        "content_block_delta", JSON_DELTA.formatted(1, "1}"),
        "content_block_stop", STOP.formatted(1),
        "message_delta", DELTA.formatted("tool_use"), "message_stop", MESSAGE_STOP));
    assertEquals("Hi there", message.content().get(0).get("text").asText());
    assertEquals(1, message.content().get(1).at("/input/a").intValue());
    assertEquals("tool_use", message.stopReason());
    assertEquals(5, message.usage().get("output_tokens").intValue());
  }

  @Test
  void anErrorMayEndTheStreamWithABlockOpen() {
    AnthropicEventGrammar.Message message = AnthropicEventGrammar.check(events("message_start", START,
        "content_block_start", TEXT_START.formatted(0), "error", ERROR));
    assertEquals("api_error", message.error().get("type").asText());
  }

  @Test
  void violationsAreNamed() {
    assertTrue(violation(events("content_block_start", TEXT_START.formatted(0)))
        .contains("first event must be message_start"));
    assertTrue(violation(events("message_start", START, "content_block_start", TEXT_START.formatted(1)))
        .contains("index 0 expected"));
    assertTrue(violation(events("message_start", START, "content_block_start", TEXT_START.formatted(0),
        "content_block_start", TEXT_START.formatted(1))).contains("while block 0 is open"));
    assertTrue(violation(events("message_start", START, "content_block_start", TEXT_START.formatted(0),
        "content_block_delta", JSON_DELTA.formatted(0, "{}"))).contains("input_json_delta in a text block"));
    assertTrue(violation(events("message_start", START,
        "content_block_start", TOOL_START.formatted(0, "functions.Bash:0")))
        .contains("tool_use.id matches"));
    assertTrue(violation(events("message_start", START, "content_block_start", TOOL_START.formatted(0, "t"),
        "content_block_delta", JSON_DELTA.formatted(0, "{"), "content_block_stop", STOP.formatted(0)))
        .contains("do not parse"));
    assertTrue(violation(events("message_start", START, "content_block_start", TEXT_START.formatted(0),
        "message_delta", DELTA.formatted("end_turn"))).contains("while block 0 is open"));
    assertTrue(violation(events("message_start", START, "message_delta", DELTA.formatted("end_turn"),
        "message_delta", DELTA.formatted("end_turn"))).contains("second message_delta"));
    assertTrue(violation(events("message_start", START, "message_delta", DELTA.formatted("done")))
        .contains("known stop_reason"));
    assertTrue(violation(events("message_start", START, "message_delta", DELTA.formatted("end_turn")))
        .contains("without message_stop or error"));
    assertTrue(violation(events("message_start", START, "message_delta", DELTA.formatted("end_turn"),
        "message_stop", MESSAGE_STOP, "ping", PING)).contains("must be the last event"));
    assertTrue(violation(events("message_start", START, "error", ERROR, "message_stop", MESSAGE_STOP))
        .contains("must be the last event"));
    assertTrue(violation(events("message_start", START, "message_delta", DELTA.formatted("end_turn"), "error", ERROR))
        .contains("error after message_delta"));
    assertTrue(violation(events("message_start", START, "content_block_stop", STOP.formatted(0)))
        .contains("no block is open"));
    assertTrue(violation(events("message_stop", START)).contains("must equal the event name"));
    assertTrue(violation(events(null, START)).contains("without a name"));
    assertTrue(violation(List.of()).contains("no events"));
  }
}
