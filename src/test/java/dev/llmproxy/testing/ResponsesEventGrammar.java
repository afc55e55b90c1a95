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
 *   <li>output items are added with {@code output_index} 0, 1, 2...; a message or reasoning item is open
 *       alone, calls may be open together (an upstream may interleave parallel calls' fragments) and are
 *       done in their order; every event about an item names an open one ({@code item_id},
 *       {@code output_index}); its done events repeat exactly what its deltas added up to, and
 *       {@code response.output_item.done} closes it;
 *   <li>it ends with exactly one of {@code response.completed}, {@code response.incomplete},
 *       {@code response.failed} or {@code error}, nothing after it, no item open at a clean end (but calls
 *       cut short by {@code response.incomplete}, listed {@code incomplete}), and the final response lists the
 *       items that were done, in order, with the matching {@code status}.
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

  /** An item being streamed and what its deltas added up to. */
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
    List<OpenItem> open = new ArrayList<>();
    int[] added = {0};
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
      item(type, data, open, added, done, where);
    }
    throw new AssertionError("the stream ended without response.completed, response.incomplete or"
        + " response.failed (a client reports: stream closed before response.completed)");
  }

  private static void item(String type, JsonNode data, List<OpenItem> open, int[] added, List<JsonNode> done,
      String where) {
    if ("response.output_item.added".equals(type)) {
      String itemType = data.path("item").path("type").asText();
      boolean call = itemType.endsWith("_call");
      require(open.isEmpty() || call && open.stream().allMatch(o -> o.type.endsWith("_call")),
          where + "item " + (open.isEmpty() ? "" : open.get(0).id) + " is still open");
      require(data.path("output_index").asInt(-1) == added[0],
          where + "output_index " + data.path("output_index") + ", expected " + added[0]);
      String id = data.path("item").path("id").asText("");
      require(!id.isEmpty(), where + "the item has no id");
      open.add(new OpenItem(id, added[0]++, itemType));
      return;
    }
    if (!data.has("item_id") && !data.has("output_index")) {
      return;
    }
    int index = data.path("output_index").asInt(-1);
    OpenItem item = open.stream().filter(o -> o.outputIndex == index).findFirst().orElse(null);
    require(item != null, where + "no item is open at output_index " + index);
    require(item.id.equals(data.path("item_id").asText(item.id)), where + "item_id is not the open item's");
    switch (type) {
      case "response.content_part.added", "response.reasoning_summary_part.added" -> {
        require(!item.partOpen, where + "a part is already open");
        item.partOpen = true;
      }
      case "response.output_text.delta", "response.reasoning_summary_text.delta",
          "response.function_call_arguments.delta", "response.custom_tool_call_input.delta" -> {
        require(item.partOpen || type.contains("call"), where + "a delta before its part was added");
        item.text.append(data.path("delta").asText());
      }
      case "response.output_text.done", "response.reasoning_summary_text.done" ->
          requireText(data.path("text").asText(), item, where);
      case "response.content_part.done", "response.reasoning_summary_part.done" -> {
        requireText(data.path("part").path("text").asText(), item, where);
        item.partOpen = false;
      }
      case "response.function_call_arguments.done" -> requireText(data.path("arguments").asText(), item, where);
      case "response.custom_tool_call_input.done" -> requireText(data.path("input").asText(), item, where);
      case "response.output_item.done" -> {
        JsonNode finished = data.path("item");
        require(item == open.get(0), where + "done before item " + open.get(0).id + ", added earlier");
        require(item.id.equals(finished.path("id").asText()), where + "another item's done event");
        require(item.type.equals(finished.path("type").asText()), where + "the item changed its type");
        require(!item.partOpen, where + "a part is still open");
        requireText(doneText(finished), item, where);
        done.add(finished);
        open.remove(0);
      }
      default -> {
        // Other item events (annotations, searches) carry nothing this grammar checks.
      }
    }
  }

  private static Outcome end(String type, JsonNode data, List<OpenItem> open, List<JsonNode> done, String where) {
    JsonNode response = data.path("response");
    if ("response.failed".equals(type) || "error".equals(type)) {
      JsonNode error = "error".equals(type) ? data : response.path("error");
      require(error.path("message").isTextual(), where + "no error message");
      require("error".equals(type) || error.path("code").isTextual(), where + "no error code");
      return new Outcome(type, response, done);
    }
    // Only an answer cut short may leave calls open: listed incomplete, never done (a client runs a done call).
    boolean cut = "response.incomplete".equals(type);
    require(open.isEmpty() || cut && open.stream().allMatch(o -> o.type.endsWith("_call")),
        where + "item " + (open.isEmpty() ? "" : open.get(0).id) + " was never done");
    require(type.equals("response." + response.path("status").asText()),
        where + "the response's status is '" + response.path("status").asText() + "'");
    JsonNode output = response.path("output");
    require(output.size() == done.size() + open.size(), where + "the response lists " + output.size() + " items, "
        + done.size() + " were done and " + open.size() + " left open");
    for (int k = 0; k < done.size(); k++) {
      require(output.get(k).equals(done.get(k)), where + "output[" + k + "] differs from its done event's item");
    }
    for (int k = 0; k < open.size(); k++) {
      JsonNode listed = output.get(done.size() + k);
      require(listed.path("id").asText().equals(open.get(k).id) && "incomplete".equals(listed.path("status").asText()),
          where + "an item left open is not listed incomplete");
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
