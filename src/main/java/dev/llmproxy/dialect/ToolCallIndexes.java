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
  /** Per position of index-less fragments: the index of the call last started there, and its id. */
  private Map<Integer, Integer> indexAt;
  private Map<Integer, String> idAt;
  private int highest = -1;

  /** The index of the call {@code fragment}, at {@code position} in its array, belongs to. */
  public int of(JsonNode fragment, int position) {
    JsonNode index = fragment.get("index");
    if (index != null && index.canConvertToInt()) {
      highest = Math.max(highest, index.intValue());
      return index.intValue();
    }
    if (indexAt == null) {
      indexAt = new HashMap<>();
      idAt = new HashMap<>();
    }
    JsonNode idNode = fragment.get("id");
    String id = idNode != null && idNode.isTextual() && !idNode.textValue().isEmpty() ? idNode.textValue() : null;
    Integer current = indexAt.get(position);
    String currentId = idAt.get(position);
    boolean startsCall = current == null || id != null && currentId != null && !id.equals(currentId);
    if (startsCall) {
      current = current == null ? Math.max(position, highest + 1) : highest + 1;
      highest = Math.max(highest, current);
      indexAt.put(position, current);
      idAt.remove(position);
      currentId = null;
    }
    if (id != null && currentId == null) {
      idAt.put(position, id);
    }
    return current;
  }
}
