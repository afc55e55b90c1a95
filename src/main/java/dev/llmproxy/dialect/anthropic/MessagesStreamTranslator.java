package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.ChatUsage;
import dev.llmproxy.dialect.EventSink;
import dev.llmproxy.dialect.JsonTrees;
import dev.llmproxy.dialect.StreamTranslator;
import dev.llmproxy.dialect.StreamedToolCalls;
import dev.llmproxy.dialect.ToolCallIndexes;
import java.util.ArrayList;
import java.util.List;

/**
 * Chat-completions chunks to Anthropic's stream grammar (spec §4): {@code message_start}, then content
 * blocks strictly one after another (indexes 0, 1, 2… in start order, one open at a time, each
 * {@code content_block_start}, deltas, {@code content_block_stop}), then {@code message_delta} once and
 * {@code message_stop}; or, on failure, an {@code error} event and nothing after it.
 *
 * <ul>
 *   <li>{@code message_start} goes out on the first chunk whatever it holds (some upstreams open with a
 *       tool call), carrying the context's local input estimate: clients read the context size from it.
 *   <li>{@code reasoning_content}/{@code reasoning} → a thinking block, {@code content} → a text block; a
 *       change of kind closes the open block. Empty content and an empty {@code tool_calls: []} riding
 *       along with it are ignored (vLLM sends both; treating the array as a tool turned text into an
 *       empty {@code input_json_delta} in other translators).
 *   <li>Tool calls are keyed by their {@code index} (position when absent) and start a {@code tool_use}
 *       block as soon as their name is known and no other tool block may still grow. Arguments stream
 *       live as {@code input_json_delta} while their block is open. Fragments of a call that cannot start
 *       yet (no name, or an interleaving upstream still writing the previous call) are buffered and sent
 *       first thing when its block starts; the open tool block yields once its arguments form a complete
 *       JSON value ({@link ToolCallState}). Thinking or text arriving while the open tool block may still
 *       grow waits for it the same way, so a tool's input is never cut short; a fragment for a block
 *       already closed (after its arguments were complete: nothing but stray whitespace from a sane
 *       upstream) is dropped.
 *   <li>Only a JSON object reaches the client as a call's input ({@link ToolInputCheck}), as in the whole
 *       answer: arguments that are no object, or turn malformed before any of them was sent, give
 *       {@code input: {}}. An object that turns malformed after part of it was sent, or is still open at an end
 *       other than the token limit, ends the stream with an {@code error} event instead: what was sent cannot
 *       be taken back.
 *   <li>{@code finish_reason} and usage are remembered; {@link #onEnd} closes the open block, starts and
 *       flushes calls never started (placeholder name, generated id), then sends {@code message_delta}
 *       ({@link StopReason} with the {@code tool_use} override; cumulative {@link UsageCounts},
 *       {@code output_tokens} always present) and {@code message_stop}.
 * </ul>
 *
 * Not thread-safe: one instance per streamed response, called by one thread at a time.
 */
public final class MessagesStreamTranslator implements StreamTranslator {
  private enum Open { NONE, THINKING, TEXT, TOOL }

  /** Thinking or text that arrived while a tool block could still grow. */
  private record Deferred(Open kind, String text) {}

  private final MessagesContext context;
  private final List<ToolCallState> tools = new ArrayList<>(2);
  private final ToolCallIndexes indexes = new ToolCallIndexes();
  private boolean started;
  private boolean finished;
  /** Whether {@link #onEnd} returned; one that threw part way may still be followed by {@link #onFailure}. */
  private boolean endTold;
  private boolean failed;
  private int nextIndex;
  private Open open = Open.NONE;
  private int openIndex;
  private ToolCallState openTool;
  private boolean sawToolUse;
  private String finishReason;
  private JsonNode usage;
  private List<Deferred> deferred;

  public MessagesStreamTranslator(MessagesContext context) {
    this.context = context;
  }

  @Override
  public void onChunk(JsonNode chunk, EventSink out) {
    if (finished) {
      return;
    }
    startMessage(out);
    usage = ChatUsage.latest(chunk, usage);
    JsonNode choice = firstChoice(chunk.path("choices"));
    if (choice == null) {
      return;
    }
    JsonNode delta = choice.path("delta");
    if (delta.isObject()) {
      String thinking = ChatFields.reasoning(delta);
      if (thinking != null) {
        content(Open.THINKING, thinking, out);
      }
      String text = ChatFields.content(delta);
      if (text != null) {
        content(Open.TEXT, text, out);
      }
      JsonNode calls = delta.get("tool_calls");
      if (calls != null && calls.isArray() && !calls.isEmpty()) {
        for (int position = 0; position < calls.size() && !finished; position++) {
          toolFragment(calls.get(position), position, out);
        }
        if (finished) {
          return; // a call's input went wrong after part of it was sent: the stream ended with an error
        }
        if (mayLeaveOpenTool()) {
          flushDeferred(out);
          startWaitingTools(out);
        }
      }
    }
    String reason = ChatFields.finishReason(choice);
    if (reason != null) {
      finishReason = reason;
    }
  }

  @Override
  public void onEnd(EventSink out) {
    if (finished) {
      return;
    }
    startMessage(out);
    if (!settleUnclosedInputs(out)) {
      return;
    }
    finished = true;
    closeOpen(out);
    flushDeferred(out);
    closeOpen(out);
    for (ToolCallState tool : tools) {
      if (!tool.started()) {
        startTool(tool, out);
        closeOpen(out);
      }
    }
    UsageCounts counts = UsageCounts.from(usage, context.inputTokens());
    out.event("message_delta", AnthropicEvents.messageDelta(StopReason.of(finishReason, sawToolUse), counts));
    out.event("message_stop", AnthropicEvents.messageStop());
    endTold = true;
  }

  /**
   * Judges the objects still open at the end; false when one ends the stream with an error. An input cut by
   * the token limit stays as sent, as Anthropic streams it: {@code max_tokens} tells the client not to run it.
   */
  private boolean settleUnclosedInputs(EventSink out) {
    boolean cutByLimit = "length".equals(finishReason);
    for (ToolCallState tool : tools) {
      tool.close();
      if (tool.objectOpen() && !cutByLimit) {
        onNotAnObject(tool, tool.started(), out);
        if (failed) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public void onFailure(int status, String message, EventSink out) {
    if (endTold || failed) {
      return;
    }
    finished = true; // an end that threw part way (its events did not fit the budget) is followed by the error
    failed = true;
    started = true;
    out.event("error", AnthropicEvents.error(status, message));
  }

  @Override
  public boolean started() {
    return started;
  }

  private void startMessage(EventSink out) {
    if (!started) {
      started = true;
      out.event("message_start", AnthropicEvents.messageStart(context));
    }
  }

  private void toolFragment(JsonNode call, int position, EventSink out) {
    ToolCallState tool = tool(indexes.of(call, position));
    JsonNode function = call.path("function");
    tool.announce(ChatFields.nonEmpty(call.get("id")), ChatFields.nonEmpty(function.get("name")));
    String arguments = arguments(function.get("arguments"));
    // A block closes only once its object is complete: what comes after is stray and the client has all.
    if (arguments != null && (tool == openTool || !tool.started())) {
      boolean partSent = tool == openTool && tool.objectOpen();
      String accepted = tool.accept(arguments);
      if (tool.notAnObject()) {
        onNotAnObject(tool, partSent, out);
        if (failed) {
          return;
        }
      } else if (accepted != null && tool == openTool) {
        out.event("content_block_delta", AnthropicEvents.inputJsonDelta(openIndex, accepted));
      } else if (accepted != null) {
        tool.buffer(accepted);
      }
    }
    if (!tool.started() && tool.hasName() && deferred == null && mayLeaveOpenTool()) {
      startTool(tool, out);
    }
  }

  /**
   * Arguments that are no JSON object. While none of them reached the client the call goes out with
   * {@code input: {}}, as the whole-answer path gives it. Once part of an object was sent it cannot be taken
   * back, and a {@code tool_use} whose input does not parse would be run by some clients on whatever their
   * parser salvaged: the stream ends with an error instead, which the client reports or retries.
   */
  private void onNotAnObject(ToolCallState tool, boolean partSent, EventSink out) {
    if (partSent) {
      onFailure(502, "The upstream model sent tool call arguments that are not a JSON object.", out);
    } else {
      tool.discardPending();
    }
  }

  /** Thinking or text: into its block, or deferred while a tool block that may still grow is open. */
  private void content(Open kind, String text, EventSink out) {
    if (deferred != null || !mayLeaveOpenTool()) {
      if (deferred == null) {
        deferred = new ArrayList<>(2);
      }
      deferred.add(new Deferred(kind, text));
      return;
    }
    open(kind, out);
    out.event("content_block_delta", kind == Open.THINKING
        ? AnthropicEvents.thinkingDelta(openIndex, text) : AnthropicEvents.textDelta(openIndex, text));
  }

  private void flushDeferred(EventSink out) {
    if (deferred == null) {
      return;
    }
    List<Deferred> segments = deferred;
    deferred = null;
    for (Deferred segment : segments) {
      content(segment.kind(), segment.text(), out);
    }
  }

  /** Starts the calls that waited for an interleaved predecessor, once that one is complete. */
  private void startWaitingTools(EventSink out) {
    for (ToolCallState tool : tools) {
      if (!mayLeaveOpenTool()) {
        return;
      }
      if (!tool.started() && tool.hasName()) {
        startTool(tool, out);
      }
    }
  }

  /**
   * Whether another block may start now: no tool block is open, or the open one's arguments are complete.
   * Closing a tool block earlier would cut its input short: later fragments could not be delivered.
   */
  private boolean mayLeaveOpenTool() {
    return openTool == null || openTool.argumentsComplete();
  }

  private void startTool(ToolCallState tool, EventSink out) {
    closeOpen(out);
    int index = nextIndex++;
    tool.started(index);
    String name = tool.hasName() ? context.toolNames().original(tool.name())
        : StreamedToolCalls.placeholderName(tool.upstreamIndex());
    out.event("content_block_start", AnthropicEvents.toolUseStart(index, ToolIds.toClient(tool.id()), name));
    open = Open.TOOL;
    openIndex = index;
    openTool = tool;
    sawToolUse = true;
    String pending = tool.takePending();
    if (pending != null) {
      out.event("content_block_delta", AnthropicEvents.inputJsonDelta(index, pending));
    }
  }

  /** Makes a thinking or text block the open one, closing whatever else is open. */
  private void open(Open kind, EventSink out) {
    if (open == kind) {
      return;
    }
    closeOpen(out);
    int index = nextIndex++;
    out.event("content_block_start",
        kind == Open.THINKING ? AnthropicEvents.thinkingStart(index) : AnthropicEvents.textStart(index));
    open = kind;
    openIndex = index;
  }

  private void closeOpen(EventSink out) {
    if (open == Open.NONE) {
      return;
    }
    openTool = null;
    out.event("content_block_stop", AnthropicEvents.blockStop(openIndex));
    open = Open.NONE;
  }

  private ToolCallState tool(int upstreamIndex) {
    for (ToolCallState tool : tools) {
      if (tool.upstreamIndex() == upstreamIndex) {
        return tool;
      }
    }
    ToolCallState tool = new ToolCallState(upstreamIndex);
    tools.add(tool);
    return tool;
  }

  /**
   * The chunk's choice with index 0 (a choice without an index counts as that one); {@code null} when it
   * holds none. Anthropic has no {@code n}: another choice (an upstream that ignores {@code n} being absent,
   * or sends more anyway) is dropped, as the whole-answer path reads only the first.
   */
  private static JsonNode firstChoice(JsonNode choices) {
    for (JsonNode choice : choices) {
      if (choice.isObject() && choice.path("index").asInt(0) == 0) {
        return choice;
      }
    }
    return null;
  }

  /** An argument fragment: the string as received, or an object some upstreams send whole. */
  private static String arguments(JsonNode arguments) {
    if (arguments == null || arguments.isNull()) {
      return null;
    }
    String text = arguments.isTextual() ? arguments.textValue() : JsonTrees.text(arguments);
    return text.isEmpty() ? null : text;
  }
}
