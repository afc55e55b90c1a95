package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.EventSink;
import dev.llmproxy.dialect.JsonTrees;

/**
 * How each step of a streamed Response is spelled on the wire: one method per step of an output item's
 * life, each sending its events with the next {@code sequence_number} (from 0) and the item's
 * {@code item_id}/{@code output_index}. {@link ResponsesStreamTranslator} decides when; this class only
 * writes. Not thread-safe: one per stream.
 */
final class ResponseEvents {
  private int sequence;

  /** Whether any event went out. */
  boolean sentAny() {
    return sequence > 0;
  }

  /** {@code response.created}, {@code response.in_progress}, {@code response.completed}... */
  void lifecycle(String type, ObjectNode response, EventSink out) {
    ObjectNode event = event(type);
    event.set("response", response);
    send(event, out);
  }

  void reasoningOpened(String id, int outputIndex, EventSink out) {
    added(outputIndex, ResponseJson.reasoningItem(id, null), out);
    ObjectNode part = forItem("response.reasoning_summary_part.added", id, outputIndex).put("summary_index", 0);
    part.set("part", ResponseJson.summaryPart(""));
    send(part, out);
  }

  void reasoningDelta(String id, int outputIndex, String delta, EventSink out) {
    send(forItem("response.reasoning_summary_text.delta", id, outputIndex).put("summary_index", 0)
        .put("delta", delta), out);
  }

  void reasoningClosed(String id, int outputIndex, String text, EventSink out) {
    send(forItem("response.reasoning_summary_text.done", id, outputIndex).put("summary_index", 0)
        .put("text", text), out);
    ObjectNode part = forItem("response.reasoning_summary_part.done", id, outputIndex).put("summary_index", 0);
    part.set("part", ResponseJson.summaryPart(text));
    send(part, out);
  }

  void messageOpened(String id, int outputIndex, EventSink out) {
    added(outputIndex, ResponseJson.messageItem(id, "in_progress", null), out);
    ObjectNode part = forItem("response.content_part.added", id, outputIndex).put("content_index", 0);
    part.set("part", ResponseJson.outputText(""));
    send(part, out);
  }

  void textDelta(String id, int outputIndex, String delta, EventSink out) {
    ObjectNode event = forItem("response.output_text.delta", id, outputIndex).put("content_index", 0)
        .put("delta", delta);
    event.putArray("logprobs");
    send(event, out);
  }

  void messageClosed(String id, int outputIndex, String text, EventSink out) {
    ObjectNode textDone = forItem("response.output_text.done", id, outputIndex).put("content_index", 0)
        .put("text", text);
    textDone.putArray("logprobs");
    send(textDone, out);
    ObjectNode part = forItem("response.content_part.done", id, outputIndex).put("content_index", 0);
    part.set("part", ResponseJson.outputText(text));
    send(part, out);
  }

  void argumentsDelta(String id, int outputIndex, String delta, EventSink out) {
    send(forItem("response.function_call_arguments.delta", id, outputIndex).put("delta", delta), out);
  }

  void argumentsDone(String id, int outputIndex, String arguments, EventSink out) {
    send(forItem("response.function_call_arguments.done", id, outputIndex).put("arguments", arguments), out);
  }

  /** A freeform tool's text, whole: one delta (when there is text) and the done event. */
  void customInput(String id, int outputIndex, String input, EventSink out) {
    if (!input.isEmpty()) {
      send(forItem("response.custom_tool_call_input.delta", id, outputIndex).put("delta", input), out);
    }
    send(forItem("response.custom_tool_call_input.done", id, outputIndex).put("input", input), out);
  }

  void added(int outputIndex, ObjectNode item, EventSink out) {
    ObjectNode event = event("response.output_item.added").put("output_index", outputIndex);
    event.set("item", item);
    send(event, out);
  }

  void done(int outputIndex, ObjectNode item, EventSink out) {
    ObjectNode event = event("response.output_item.done").put("output_index", outputIndex);
    event.set("item", item);
    send(event, out);
  }

  private ObjectNode forItem(String type, String itemId, int outputIndex) {
    return event(type).put("item_id", itemId).put("output_index", outputIndex);
  }

  private ObjectNode event(String type) {
    return ResponseJson.NODES.objectNode().put("type", type).put("sequence_number", sequence++);
  }

  private static void send(ObjectNode event, EventSink out) {
    out.event(event.get("type").textValue(), JsonTrees.bytes(event));
  }
}
