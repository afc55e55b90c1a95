package dev.llmproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a Responses API event stream against the grammar clients rely on (Codex reports "stream closed
 * before response.completed" otherwise), for unit tests of the translator and for ITs that read the
 * gateway's stream off the wire:
 *
 * <ul>
 *   <li>every event is named after its {@code type} and has a {@code sequence_number} greater than the
 *       one before;
 *   <li>it starts with {@code response.created} (then {@code response.in_progress}), unless the only
 *       event is a {@code response.failed} or {@code error};
 *   <li>output items are added with {@code output_index} 0, 1, 2..., one open at a time; every event
 *       about an item names the open one ({@code item_id}, {@code output_index}); its done events repeat
 *       exactly what its deltas added up to, and {@code response.output_item.done} closes it;
 *   <li>it ends with exactly one of {@code response.completed}, {@code response.incomplete},
 *       {@code response.failed} or {@code error}, nothing after it, no item open at a clean end, and the
 *       final response lists the items that were done, in order, with the matching {@code status}.
 * </ul>
 *
 * A violation fails with an {@link AssertionError} naming the event. Stateless.
 */
public final class ResponsesEventGrammar {
  private static final Set<String> TERMINAL =
      Set.of("response.completed", "response.incomplete", "response.failed", "error");

  /**
   * A valid stream, summed up.
   *
   * @param finalType the type of the last event
   * @param response the final event's {@code response} (absent for {@code error})
   * @param items the items of the {@code response.output_item.done} events, in order
   */
  public record Outcome(String finalType, JsonNode response, List<JsonNode> items) {
    /** The text of the message items, concatenated. */
    public String text() {
      StringBuilder text = new StringBuilder();
      for (JsonNode item : items) {
        if ("message".equals(item.path("type").asText())) {
          item.path("content").forEach(part -> text.append(part.path("text").asText("")));
        }
      }
      return text.toString();
    }

    /** The done items of {@code type} ({@code function_call}, {@code reasoning}...). */
    public List<JsonNode> items(String type) {
      return items.stream().filter(item -> type.equals(item.path("type").asText())).toList();
    }
  }

  /** The item being streamed and what its deltas added up to. */
  private static final class OpenItem {
    final String id;
    final int outputIndex;
    final String type;
    final StringBuilder text = new StringBuilder();
    boolean partOpen;

    OpenItem(String id, int outputIndex, String type) {
      this.id = id;
      this.outputIndex = outputIndex;
      this.type = type;
    }
  }

  private ResponsesEventGrammar() {}

  /** Checks {@code events}; the whole stream, as a client received it. */
  public static Outcome check(List<SseEvent> events) {
    if (events.isEmpty()) {
      throw new AssertionError("the stream has no events");
    }
    List<JsonNode> done = new ArrayList<>();
    OpenItem open = null;
    long lastSequence = -1;
    for (int i = 0; i < events.size(); i++) {
      SseEvent event = events.get(i);
      JsonNode data = event.json();
      String type = data.path("type").asText("");
      String where = "event " + i + " (" + type + "): ";
      require(type.equals(event.event()), where + "the SSE event name is '" + event.event() + "'");
      if (!"error".equals(type)) {
        require(data.path("sequence_number").canConvertToLong(), where + "no sequence_number");
        long sequence = data.get("sequence_number").asLong();
        require(sequence > lastSequence, where + "sequence_number " + sequence + " after " + lastSequence);
        lastSequence = sequence;
      }
      if (i == 0) {
        require("response.created".equals(type) || (events.size() == 1 && TERMINAL.contains(type)),
            where + "a stream starts with response.created");
      }
      if ("response.in_progress".equals(type)) {
        require(i == 1 && "response.created".equals(events.get(0).json().path("type").asText()),
            where + "response.in_progress comes right after response.created");
      }
      if (TERMINAL.contains(type)) {
        require(i == events.size() - 1, where + "events follow the final event");
        return end(type, data, open, done, where);
      }
      open = item(type, data, open, done, where);
    }
    throw new AssertionError("the stream ended without response.completed, response.incomplete or"
        + " response.failed (a client reports: stream closed before response.completed)");
  }

  private static OpenItem item(String type, JsonNode data, OpenItem open, List<JsonNode> done, String where) {
    if ("response.output_item.added".equals(type)) {
      require(open == null, where + "item " + (open == null ? "" : open.id) + " is still open");
      require(data.path("output_index").asInt(-1) == done.size(),
          where + "output_index " + data.path("output_index") + ", expected " + done.size());
      String id = data.path("item").path("id").asText("");
      require(!id.isEmpty(), where + "the item has no id");
      return new OpenItem(id, done.size(), data.path("item").path("type").asText());
    }
    if (!data.has("item_id") && !data.has("output_index")) {
      return open;
    }
    require(open != null, where + "no item is open");
    require(open.id.equals(data.path("item_id").asText(open.id)), where + "item_id is not the open item's");
    require(data.path("output_index").asInt(-1) == open.outputIndex, where + "output_index is not the open item's");
    switch (type) {
      case "response.content_part.added", "response.reasoning_summary_part.added" -> {
        require(!open.partOpen, where + "a part is already open");
        open.partOpen = true;
      }
      case "response.output_text.delta", "response.reasoning_summary_text.delta",
          "response.function_call_arguments.delta", "response.custom_tool_call_input.delta" -> {
        require(open.partOpen || type.contains("call"), where + "a delta before its part was added");
        open.text.append(data.path("delta").asText());
      }
      case "response.output_text.done", "response.reasoning_summary_text.done" ->
          requireText(data.path("text").asText(), open, where);
      case "response.content_part.done", "response.reasoning_summary_part.done" -> {
        requireText(data.path("part").path("text").asText(), open, where);
        open.partOpen = false;
      }
      case "response.function_call_arguments.done" -> requireText(data.path("arguments").asText(), open, where);
      case "response.custom_tool_call_input.done" -> requireText(data.path("input").asText(), open, where);
      case "response.output_item.done" -> {
        JsonNode item = data.path("item");
        require(open.id.equals(item.path("id").asText()), where + "another item's done event");
        require(open.type.equals(item.path("type").asText()), where + "the item changed its type");
        require(!open.partOpen, where + "a part is still open");
        requireText(doneText(item), open, where);
        done.add(item);
        return null;
      }
      default -> {
        // Other item events (annotations, searches) carry nothing this grammar checks.
      }
    }
    return open;
  }

  private static Outcome end(String type, JsonNode data, OpenItem open, List<JsonNode> done, String where) {
    JsonNode response = data.path("response");
    if ("response.failed".equals(type) || "error".equals(type)) {
      JsonNode error = "error".equals(type) ? data : response.path("error");
      require(error.path("message").isTextual(), where + "no error message");
      require("error".equals(type) || error.path("code").isTextual(), where + "no error code");
      return new Outcome(type, response, done);
    }
    require(open == null, where + "item " + (open == null ? "" : open.id) + " was never done");
    require(type.equals("response." + response.path("status").asText()),
        where + "the response's status is '" + response.path("status").asText() + "'");
    JsonNode output = response.path("output");
    require(output.size() == done.size(), where + "the response lists " + output.size() + " items, "
        + done.size() + " were done");
    for (int k = 0; k < done.size(); k++) {
      require(output.get(k).equals(done.get(k)), where + "output[" + k + "] differs from its done event's item");
    }
    return new Outcome(type, response, done);
  }

  /** What the deltas of {@code item} must have added up to, from its final form. */
  private static String doneText(JsonNode item) {
    return switch (item.path("type").asText()) {
      case "message" -> item.path("content").path(0).path("text").asText("");
      case "reasoning" -> item.path("summary").path(0).path("text").asText("");
      case "function_call" -> item.path("arguments").asText("");
      case "custom_tool_call" -> item.path("input").asText("");
      default -> "";
    };
  }

  private static void requireText(String expected, OpenItem open, String where) {
    require(expected.equals(open.text.toString()),
        where + "says '" + expected + "' but its deltas added up to '" + open.text + "'");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
