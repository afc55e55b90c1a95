package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.llmproxy.dialect.JsonFields;
import dev.llmproxy.dialect.TranslationException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code tool_choice} of type {@code allowed_tools} ({@code {mode, tools: [{type, name}...]}}) in
 * chat-completions form: only the allowed tools' definitions go in {@code tools}, and {@code tool_choice} is the
 * mode. Chat completions has an {@code allowed_tools} choice of its own, but many OpenAI-compatible servers do
 * not know it, while a shorter tool list is understood everywhere; the model cannot call what it is not shown.
 * A {@code function} or {@code custom} entry must name a tool of the request (400 otherwise, as OpenAI answers);
 * built-in entries ({@code web_search}...) name tools dropped already ({@link ResponsesTools}). Stateless.
 */
final class AllowedTools {
  private AllowedTools() {}

  static boolean isAllowedTools(JsonNode choice) {
    return choice != null && choice.isObject() && "allowed_tools".equals(choice.path("type").textValue());
  }

  /**
   * The chat {@code tool_choice} for the allowed-tools {@code choice}: its mode.
   *
   * @throws TranslationException when the mode is neither {@code auto} nor {@code required}
   */
  static JsonNode mode(JsonNode choice) {
    JsonNode mode = JsonFields.get(choice, "mode");
    if (mode == null) {
      return ResponsesTools.NODES.textNode("auto");
    }
    if (!mode.isTextual() || !(mode.textValue().equals("auto") || mode.textValue().equals("required"))) {
      throw new TranslationException("tool_choice.mode",
          "Invalid value for 'tool_choice.mode': expected 'auto' or 'required'.");
    }
    return mode;
  }

  /**
   * The chat {@code functions} that {@code choice} allows, in their own order.
   *
   * @throws TranslationException when a {@code function} or {@code custom} entry names no tool of the request
   */
  static ArrayNode keep(JsonNode choice, ArrayNode functions, List<String> notes) {
    JsonNode entries = RequestFields.FIELDS.array(choice, "tools", "tool_choice.tools");
    Set<String> allowed = new HashSet<>();
    Set<String> offered = new HashSet<>();
    functions.forEach(function -> offered.add(function.path("function").path("name").textValue()));
    for (int i = 0; entries != null && i < entries.size(); i++) {
      String path = "tool_choice.tools[" + i + "]";
      JsonNode entry = RequestFields.FIELDS.requireObject(entries.get(i), path);
      String type = RequestFields.FIELDS.requiredString(entry, "type", path + ".type");
      if (!type.equals("function") && !type.equals("custom")) {
        continue;
      }
      String name = RequestFields.FIELDS.requiredString(entry, "name", path + ".name");
      if (!offered.contains(name)) {
        throw new TranslationException(path + ".name",
            "Invalid value for '" + path + ".name': no tool named '" + name + "' in 'tools'.");
      }
      allowed.add(name);
    }
    ArrayNode kept = ResponsesTools.NODES.arrayNode();
    functions.forEach(function -> {
      if (allowed.contains(function.path("function").path("name").textValue())) {
        kept.add(function);
      }
    });
    if (kept.isEmpty() && !functions.isEmpty()) {
      notes.add("tool_choice: allowed_tools allows none of the request's functions; no tools sent");
    }
    return kept;
  }
}
