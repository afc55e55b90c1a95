package dev.llmproxy.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The tool calls of one streamed chat choice, put together from the fragments in its deltas' {@code tool_calls}.
 * A fragment belongs to the call with its {@code index} ({@link ToolCallIndexes} when it has none); a call's id
 * and name are the first non-empty ones its fragments bring (a repeat never renames a call the client may already
 * have seen), and its arguments are the string fragments in arrival order. Calls keep the order in which they first
 * appeared. Not thread-safe: owned by one stream translator.
 */
public final class StreamedToolCalls {

  /** One call as far as its fragments arrived. */
  public static final class Call {
    private final int upstreamIndex;
    private String id;
    private String name;
    private final StringBuilder arguments = new StringBuilder();
    /** How much of {@link #arguments} {@link #takeNewArguments()} handed out. */
    private int taken;

    private Call(int upstreamIndex) {
      this.upstreamIndex = upstreamIndex;
    }

    public int upstreamIndex() {
      return upstreamIndex;
    }

    /** The upstream's id for the call, or one given to {@link #identify}; {@code null} while there is none. */
    public String id() {
      return id;
    }

    /** The function's name, {@code null} while none arrived. */
    public String name() {
      return name;
    }

    /** The argument text so far. */
    public String arguments() {
      return arguments.toString();
    }

    /**
     * Takes {@code newId} and {@code newName} where the call has none yet; {@code null} or empty ones are no news.
     * For the fragments' own, and for ids and names a translator makes up when the upstream sends none.
     */
    public void identify(String newId, String newName) {
      if (id == null && newId != null && !newId.isEmpty()) {
        id = newId;
      }
      if (name == null && newName != null && !newName.isEmpty()) {
        name = newName;
      }
    }

    /** The argument text appended since the last call of this method; empty when there is none. */
    public String takeNewArguments() {
      String fresh = arguments.substring(taken);
      taken = arguments.length();
      return fresh;
    }

    /** The name, or a placeholder when the upstream never sent one, so that the call still parses for a client. */
    public String nameOrPlaceholder() {
      return name == null ? placeholderName(upstreamIndex) : name;
    }
  }

  private final List<Call> calls = new ArrayList<>(2);
  private final ToolCallIndexes indexes = new ToolCallIndexes();
  private final List<Call> view = Collections.unmodifiableList(calls);

  /** The name given to a call whose upstream never named it: {@code tool_} and its index. */
  public static String placeholderName(int upstreamIndex) {
    return "tool_" + upstreamIndex;
  }

  /** The index of the call {@code fragment} belongs to, which stands at {@code position} in its array. */
  public static int upstreamIndex(JsonNode fragment, int position) {
    JsonNode index = fragment.get("index");
    return index != null && index.canConvertToInt() ? index.intValue() : position;
  }

  /** Adds {@code fragment}, at {@code position} in its delta's {@code tool_calls}, to its call; returns that call. */
  public Call addFragment(JsonNode fragment, int position) {
    return add(indexes.of(fragment, position), fragment);
  }

  /** Adds {@code fragment} to the call with {@code upstreamIndex}, a new one if it is the first; returns that call. */
  public Call add(int upstreamIndex, JsonNode fragment) {
    Call call = find(upstreamIndex);
    if (call == null) {
      call = new Call(upstreamIndex);
      calls.add(call);
    }
    JsonNode function = fragment.path("function");
    call.identify(text(fragment, "id"), text(function, "name"));
    call.arguments.append(text(function, "arguments"));
    return call;
  }

  /** The calls in the order they first appeared; a view that grows with them. */
  public List<Call> calls() {
    return view;
  }

  private Call find(int upstreamIndex) {
    for (Call call : calls) {
      if (call.upstreamIndex == upstreamIndex) {
        return call;
      }
    }
    return null;
  }

  private static String text(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    return value != null && value.isTextual() ? value.textValue() : "";
  }
}
