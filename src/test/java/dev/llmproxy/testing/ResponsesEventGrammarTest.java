package dev.llmproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker must pass a good stream and catch each way a stream can break the grammar. */
class ResponsesEventGrammarTest {
  private static final String RESPONSE = "{\"status\":\"in_progress\",\"output\":[]}";
  private static final String ITEM = "{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[]}";
  private static final String DONE_ITEM =
      "{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi\"}]}";

  private final List<SseEvent> events = new ArrayList<>();

  private ResponsesEventGrammarTest add(String type, String fields) {
    String data = "{\"type\":\"" + type + "\",\"sequence_number\":" + events.size() + (fields.isEmpty() ? "" : ",")
        + fields + "}";
    events.add(new SseEvent(type, data, null, List.of()));
    return this;
  }

  private ResponsesEventGrammarTest start() {
    return add("response.created", "\"response\":" + RESPONSE).add("response.in_progress", "\"response\":" + RESPONSE);
  }

  private ResponsesEventGrammarTest message(String deltaText, String doneText) {
    String of = "\"item_id\":\"msg_1\",\"output_index\":0";
    return add("response.output_item.added", "\"output_index\":0,\"item\":" + ITEM)
        .add("response.content_part.added",
            of + ",\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\"}")
        .add("response.output_text.delta", of + ",\"content_index\":0,\"delta\":\"" + deltaText + "\"")
        .add("response.output_text.done", of + ",\"content_index\":0,\"text\":\"" + doneText + "\"")
        .add("response.content_part.done", of + ",\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\""
            + doneText + "\"}")
        .add("response.output_item.done", "\"output_index\":0,\"item\":" + DONE_ITEM.replace("Hi", doneText));
  }

  private ResponsesEventGrammarTest completed() {
    return add("response.completed", "\"response\":{\"status\":\"completed\",\"output\":[" + DONE_ITEM + "]}");
  }

  private String failure() {
    return assertThrows(AssertionError.class, () -> ResponsesEventGrammar.check(events)).getMessage();
  }

  @Test
  void aWellFormedStreamPasses() {
    ResponsesEventGrammar.Outcome outcome = start().message("Hi", "Hi").completed().check();
    assertEquals("response.completed", outcome.finalType());
    assertEquals("Hi", outcome.text());
  }

  @Test
  void aStreamWithoutAFinalEventFailsAsCodexWould() {
    start().message("Hi", "Hi");
    assertTrue(failure().contains("stream closed before response.completed"));
  }

  @Test
  void aSequenceNumberThatDoesNotIncreaseFails() {
    start();
    events.add(new SseEvent("response.completed",
        "{\"type\":\"response.completed\",\"sequence_number\":1,\"response\":{\"status\":\"completed\",\"output\":[]}}",
        null, List.of()));
    assertTrue(failure().contains("sequence_number 1 after 1"));
  }

  @Test
  void aSecondItemWhileOneIsOpenFails() {
    start().add("response.output_item.added", "\"output_index\":0,\"item\":" + ITEM)
        .add("response.output_item.added", "\"output_index\":1,\"item\":" + ITEM.replace("msg_1", "msg_2"));
    assertTrue(failure().contains("still open"));
  }

  @Test
  void aDoneTextThatIsNotTheSumOfTheDeltasFails() {
    start().message("H", "Hi").completed();
    assertTrue(failure().contains("deltas added up to 'H'"));
  }

  @Test
  void anEventNameThatIsNotItsTypeFails() {
    events.add(new SseEvent("message", "{\"type\":\"response.created\",\"sequence_number\":0}", null, List.of()));
    assertTrue(failure().contains("SSE event name"));
  }

  @Test
  void eventsAfterTheFinalEventFail() {
    start().completed().add("response.in_progress", "\"response\":" + RESPONSE);
    assertTrue(failure().contains("follow the final event"));
  }

  @Test
  void aCompletedResponseMissingADoneItemFails() {
    start().message("Hi", "Hi").add("response.completed", "\"response\":{\"status\":\"completed\",\"output\":[]}");
    assertTrue(failure().contains("lists 0 items, 1 were done"));
  }

  private ResponsesEventGrammar.Outcome check() {
    return ResponsesEventGrammar.check(events);
  }
}
