package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * What the answer and stream translators need to know about the request of one Responses call: the
 * response id and creation time (the same on every upstream attempt, so a retried request answers
 * with the id it would have had), the model string the client sent, the names of its freeform
 * ({@code custom}) tools, whose calls go back as {@code custom_tool_call} items, and the request
 * parameters a Response object repeats ({@code instructions}, {@code tools}, {@code tool_choice},
 * {@code temperature}...). Immutable: the echoed parameters are copied out, never handed over.
 */
public final class ResponsesContext {
  private final String responseId;
  private final long createdAt;
  private final String clientModel;
  private final Set<String> customTools;
  private final ObjectNode echo;

  /**
   * @param responseId {@code resp_} followed by the id's unique part, which item ids reuse
   * @param createdAt epoch second of the request
   * @param clientModel the model string as the client sent it
   * @param customTools names of the client's {@code custom} tools
   * @param echo the request parameters every Response object repeats, in their Responses spelling;
   *     this object keeps it and never changes it
   */
  public ResponsesContext(
      String responseId, long createdAt, String clientModel, Set<String> customTools, ObjectNode echo) {
    if (!responseId.startsWith("resp_")) {
      throw new IllegalArgumentException("a response id starts with resp_: " + responseId);
    }
    this.responseId = responseId;
    this.createdAt = createdAt;
    this.clientModel = clientModel;
    this.customTools = Set.copyOf(customTools);
    this.echo = echo.deepCopy();
  }

  public String responseId() {
    return responseId;
  }

  public long createdAt() {
    return createdAt;
  }

  /** The model string the client sent; Response objects name it (the upstream model stays private). */
  public String clientModel() {
    return clientModel;
  }

  /** Whether {@code name} is one of the client's freeform tools (Codex's {@code apply_patch}). */
  public boolean isCustomTool(String name) {
    return name != null && customTools.contains(name);
  }

  /**
   * The id of the output item at {@code outputIndex}, e.g. {@code msg_<unique part>_0}: unique within
   * the response and derived from it, so no random number is drawn per item.
   */
  String itemId(String prefix, int outputIndex) {
    return prefix + "_" + responseId.substring("resp_".length()) + "_" + outputIndex;
  }

  /** Copies the echoed request parameters into {@code response}. */
  void echoInto(ObjectNode response) {
    Iterator<Map.Entry<String, JsonNode>> fields = echo.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      response.set(field.getKey(), field.getValue().deepCopy());
    }
  }
}
