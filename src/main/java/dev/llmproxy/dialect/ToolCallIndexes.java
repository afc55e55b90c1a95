package dev.llmproxy.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Which call of one streamed choice a tool-call fragment belongs to: the upstream's {@code index} when the fragment
 * has one. Some OpenAI-compatible servers send none; a fragment then belongs to the call last started at its position
 * in the {@code tool_calls} array, unless it brings an id other than that call's, which starts a new call. (Keyed by
 * position alone, two calls each sent whole in its own chunk became one, their arguments run together.) Not
 * thread-safe: one per streamed choice.
 */
public final class ToolCallIndexes {
  /** The call last started at a position of index-less fragments, and its id ({@code null} until one came). */
  private record Started(int index, String id) {}

  private final Map<Integer, Started> byPosition = new HashMap<>();
  private int highest = -1;

  /** The index of the call {@code fragment}, at {@code position} in its array, belongs to. */
  public int of(JsonNode fragment, int position) {
    JsonNode index = fragment.get("index");
    if (index != null && index.canConvertToInt()) {
      highest = Math.max(highest, index.intValue());
      return index.intValue();
    }
    JsonNode idNode = fragment.get("id");
    String id = idNode != null && idNode.isTextual() && !idNode.textValue().isEmpty() ? idNode.textValue() : null;
    Started last = byPosition.get(position);
    if (last == null || id != null && last.id() != null && !id.equals(last.id())) {
      int fresh = last == null ? Math.max(position, highest + 1) : highest + 1;
      highest = Math.max(highest, fresh);
      byPosition.put(position, new Started(fresh, id));
      return fresh;
    }
    if (last.id() == null && id != null) {
      byPosition.put(position, new Started(last.index(), id));
    }
    return last.index();
  }
}
