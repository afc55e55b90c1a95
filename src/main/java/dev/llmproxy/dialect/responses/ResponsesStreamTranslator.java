package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.ChatUsage;
import dev.llmproxy.dialect.EventSink;
import dev.llmproxy.dialect.StreamTranslator;
import dev.llmproxy.dialect.StreamedToolCalls;
import dev.llmproxy.dialect.StreamedToolCalls.Call;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a chat-completions stream into the Responses API's named events (spec §2):
 * {@code response.created}, {@code response.in_progress}, then per output item
 * {@code response.output_item.added} → its part and delta events → {@code response.output_item.done},
 * and finally {@code response.completed} (or {@code response.incomplete}) carrying the whole response
 * with usage. Every event has the next {@code sequence_number}; items get increasing
 * {@code output_index}; one message or reasoning item is open at a time, or the calls of one turn
 * ({@link ResponseEvents} spells the events).
 *
 * <ul>
 *   <li>Reasoning deltas open a {@code reasoning} item with one {@code summary_text} part; text deltas
 *       a {@code message} item with one {@code output_text} part. Each kind of delta closes the item
 *       of another kind, so interleaved reasoning and text make several items, in upstream order.
 *   <li>A tool call opens a {@code function_call} item once its name is known (with the upstream's id,
 *       or one made up), after the open message or reasoning item is closed; argument fragments become
 *       {@code response.function_call_arguments.delta} events of their own call's item (fragments that
 *       came earlier go out when it opens). Parallel calls stay open together until the stream moves on
 *       (text, reasoning, its end), since an upstream may interleave their fragments: closing a call when
 *       the next one began sent some calls done with part of their arguments, which a client then runs.
 *       A call still open when the answer is cut short ({@code length}) is listed {@code incomplete} and
 *       never done.
 *   <li>A call to one of the client's freeform tools becomes a {@code custom_tool_call} item: its text
 *       is the {@code input} argument, known only when the arguments are complete, so it goes out whole
 *       when the item closes.
 *   <li>{@code finish_reason} and the usage chunk (the request asks for {@code include_usage}) are only
 *       remembered: the final event goes out in {@link #onEnd}, so it carries the usage.
 *   <li>{@link #onFailure} sends {@code response.failed} with {@code response.error {code, message}}, so
 *       a client such as Codex never sees a stream that just stops. Like OpenAI's, the failed Response
 *       lists the items produced so far, the one cut short {@code incomplete}: an open message or
 *       reasoning item is first closed with its done events; an open call is listed but gets no
 *       {@code response.output_item.done}, since clients run a call once it is done and its arguments
 *       are cut off.
 * </ul>
 *
 * Not thread-safe: one instance per streamed response, fed from one thread at a time.
 */
public final class ResponsesStreamTranslator implements StreamTranslator {
  private enum Kind { REASONING, MESSAGE, CALL }

  /** An output item still open. */
  private record Open(Kind kind, String id, int outputIndex, StringBuilder text, Call call) {}

  private final ResponsesContext context;
  private final ResponseEvents events = new ResponseEvents();
  private final ArrayNode output = ResponseJson.NODES.arrayNode();
  private final StreamedToolCalls calls = new StreamedToolCalls();
  /** The calls that have an output item. */
  private final Set<Call> announced = new HashSet<>();
  private int nextOutputIndex;
  /** The message or reasoning item open, if any. */
  private Open open;
  /** The call items open, in output order: never at the same time as {@link #open}. */
  private final List<Open> openCalls = new ArrayList<>(2);
  private String finishReason;
  private JsonNode usage;
  /** Text and arguments kept for the closing events ({@link #keptChars}). */
  private long kept;
  private boolean ended;
  /** Whether {@link #onEnd} returned: an end that threw part way may still be followed by {@link #onFailure}. */
  private boolean endTold;
  /** Whether the stream ended with {@link #onFailure}; the item open then was cut short. */
  private boolean failed;

  public ResponsesStreamTranslator(ResponsesContext context) {
    this.context = context;
  }

  @Override
  public void onChunk(JsonNode chunk, EventSink out) {
    requireNotEnded();
    usage = ChatUsage.latest(chunk, usage);
    for (JsonNode choice : chunk.path("choices")) {
      if (choice.path("index").asInt(0) != 0) {
        continue; // the Responses API has one answer; a request from it never asks for n > 1
      }
      JsonNode delta = choice.path("delta");
      String reasoning = text(delta, "reasoning_content");
      append(Kind.REASONING, reasoning.isEmpty() ? text(delta, "reasoning") : reasoning, out);
      append(Kind.MESSAGE, text(delta, "content"), out);
      append(Kind.MESSAGE, text(delta, "refusal"), out);
      JsonNode fragments = delta.path("tool_calls");
      for (int position = 0; position < fragments.size(); position++) {
        toolFragment(fragments.get(position), position, out);
      }
      JsonNode finish = choice.get("finish_reason");
      if (finish != null && finish.isTextual()) {
        finishReason = finish.textValue();
      }
    }
  }

  @Override
  public void onEnd(EventSink out) {
    requireNotEnded();
    ended = true;
    startOnce(out);
    close(out);
    if (ResponseJson.incompleteReason(finishReason) != null) {
      listOpenCallsIncomplete(); // cut off: their arguments may be too
    } else {
      for (Call call : calls.calls()) {
        if (!announced.contains(call)) {
          call.identify(null, call.nameOrPlaceholder());
          announce(call, out);
        }
      }
      closeCalls(out);
    }
    ObjectNode response = ResponseJson.response(context, "completed");
    response.set("output", output);
    ResponseJson.end(response, finishReason, usage);
    boolean completed = "completed".equals(response.path("status").textValue());
    events.lifecycle(completed ? "response.completed" : "response.incomplete", response, out);
    endTold = true;
  }

  @Override
  public void onFailure(int status, String message, EventSink out) {
    if (failed || endTold) {
      throw new IllegalStateException("the stream already ended");
    }
    // After an end that threw, what it closed may or may not have reached the client, and repeating its items (each
    // as long as the whole text) is what did not fit: the failed response lists no output.
    boolean endCut = ended;
    ended = true;
    failed = true;
    if (endCut) {
      output.removeAll();
    } else {
      listOpenCallsIncomplete();
      close(out);
    }
    ObjectNode response = ResponseJson.response(context, "failed");
    response.set("output", output);
    // OpenAI's codes: Codex retries rate_limit_exceeded after the delay it reads in the message.
    response.putObject("error").put("code", status == 429 ? "rate_limit_exceeded" : "server_error")
        .put("message", message);
    response.set("usage", ResponseJson.usage(usage));
    events.lifecycle("response.failed", response, out);
  }

  @Override
  public boolean started() {
    return events.sentAny();
  }

  @Override
  public long keptChars() {
    return kept;
  }

  /**
   * Sends {@code response.created} and {@code response.in_progress} before the first item, not on the first
   * chunk: until then nothing reached the client (a role-only chunk says nothing), so the relay may still
   * fail over to another upstream.
   */
  private void startOnce(EventSink out) {
    if (events.sentAny()) {
      return;
    }
    events.lifecycle("response.created", ResponseJson.response(context, "in_progress"), out);
    events.lifecycle("response.in_progress", ResponseJson.response(context, "in_progress"), out);
  }

  /** Appends reasoning or text, opening an item of that kind first when another is open. */
  private void append(Kind kind, String delta, EventSink out) {
    if (delta.isEmpty()) {
      return;
    }
    if (open == null || open.kind() != kind) {
      startOnce(out);
      closeCalls(out); // the upstream moved on: the calls before are complete
      close(out);
      int index = nextOutputIndex++;
      open = new Open(kind, context.itemId(kind == Kind.REASONING ? "rs" : "msg", index), index,
          new StringBuilder(), null);
      if (kind == Kind.REASONING) {
        events.reasoningOpened(open.id(), index, out);
      } else {
        events.messageOpened(open.id(), index, out);
      }
    }
    open.text().append(delta);
    kept += delta.length();
    if (kind == Kind.REASONING) {
      events.reasoningDelta(open.id(), open.outputIndex(), delta, out);
    } else {
      events.textDelta(open.id(), open.outputIndex(), delta, out);
    }
  }

  private void toolFragment(JsonNode fragment, int position, EventSink out) {
    kept += fragment.path("function").path("arguments").asText("").length();
    Call call = calls.addFragment(fragment, position);
    if (!announced.contains(call) && call.name() != null) {
      startOnce(out);
      close(out);
      announce(call, out);
      return;
    }
    for (Open item : openCalls) {
      if (item.call() == call) {
        sendArguments(item, out);
      }
    }
  }

  private void announce(Call call, EventSink out) {
    int index = nextOutputIndex++;
    announced.add(call);
    if (call.id() == null) {
      call.identify(context.itemId("call", index), null);
    }
    ObjectNode item = ResponseJson.toolCallItem(context, index, call.id(), call.name(), "", "in_progress");
    Open opened = new Open(Kind.CALL, item.get("id").textValue(), index, null, call);
    openCalls.add(opened);
    events.added(index, item, out);
    sendArguments(opened, out);
  }

  /** Sends the arguments of {@code item}'s call not sent yet; a freeform tool's text goes out whole at its close. */
  private void sendArguments(Open item, EventSink out) {
    Call call = item.call();
    if (context.isCustomTool(call.name())) {
      return;
    }
    String arguments = call.takeNewArguments();
    if (!arguments.isEmpty()) {
      events.argumentsDelta(item.id(), item.outputIndex(), arguments, out);
    }
  }

  /** Closes the open message or reasoning item, if any, with its done events. */
  private void close(EventSink out) {
    if (open == null) {
      return;
    }
    Open item = open;
    open = null;
    ObjectNode finished;
    if (item.kind() == Kind.REASONING) {
      events.reasoningClosed(item.id(), item.outputIndex(), item.text().toString(), out);
      finished = ResponseJson.reasoningItem(item.id(), item.text().toString());
    } else {
      events.messageClosed(item.id(), item.outputIndex(), item.text().toString(), out);
      // Known only at the end: a message closed there by a failure, a length or a filter stop is incomplete.
      boolean cut = failed || (ended && ResponseJson.incompleteReason(finishReason) != null);
      finished = ResponseJson.messageItem(item.id(), cut ? "incomplete" : "completed", item.text().toString());
    }
    output.add(finished);
    events.done(item.outputIndex(), finished, out);
  }

  /** Closes the open calls, in output order, with their done events: their arguments are complete. */
  private void closeCalls(EventSink out) {
    for (Open item : openCalls) {
      ObjectNode finished = closeCall(item, out);
      output.add(finished);
      events.done(item.outputIndex(), finished, out);
    }
    openCalls.clear();
  }

  /**
   * Lists the open calls in the response as {@code incomplete}, without their done events: Codex runs a call on its
   * done event whatever its status, and these arguments were cut off.
   */
  private void listOpenCallsIncomplete() {
    for (Open item : openCalls) {
      Call call = item.call();
      output.add(ResponseJson.toolCallItem(context, item.outputIndex(), call.id(), call.name(), call.arguments(),
          "incomplete"));
    }
    openCalls.clear();
  }

  private ObjectNode closeCall(Open item, EventSink out) {
    Call call = item.call();
    String raw = call.arguments();
    if (context.isCustomTool(call.name())) {
      events.customInput(item.id(), item.outputIndex(), ResponseJson.customInput(raw), out);
    } else {
      String arguments = ResponseJson.arguments(raw);
      if (raw.isBlank()) {
        events.argumentsDelta(item.id(), item.outputIndex(), arguments, out); // the deltas add up to the whole
      }
      events.argumentsDone(item.id(), item.outputIndex(), arguments, out);
    }
    return ResponseJson.toolCallItem(context, item.outputIndex(), call.id(), call.name(),
        ResponseJson.arguments(raw), "completed");
  }

  private void requireNotEnded() {
    if (ended) {
      throw new IllegalStateException("the stream already ended");
    }
  }

  private static String text(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    return value != null && value.isTextual() ? value.textValue() : "";
  }
}
