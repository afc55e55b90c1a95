package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.JsonFields;
import dev.llmproxy.dialect.TranslationException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Responses request's {@code tools} and {@code tool_choice} in chat-completions form.
 *
 * <ul>
 *   <li>{@code function} tools become {@code {type: function, function: {name, description,
 *       parameters, strict}}}.
 *   <li>{@code custom} (freeform) tools, such as Codex's {@code apply_patch}, become functions with one
 *       string parameter {@code input}; their grammar, when they have one, goes into the description so
 *       the model still learns the format. Their calls go back to the client as
 *       {@code custom_tool_call} items ({@link ResponsesContext#isCustomTool}).
 *   <li>Built-in tools ({@code web_search}, {@code file_search}, {@code local_shell}...) run on OpenAI's
 *       side and have no chat equivalent: dropped, with a note.
 *   <li>{@code tool_choice {type: function|custom, name}} becomes {@code {type: function, function:
 *       {name}}} (CLIProxyAPI copies the Responses shape, which chat upstreams reject).
 *   <li>{@code tool_choice {type: allowed_tools}} becomes its mode, the tools being filtered by
 *       {@link AllowedTools}.
 * </ul>
 *
 * Stateless.
 */
final class ResponsesTools {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The translated tools, and which of them were {@code custom}. */
  record Translated(ArrayNode functions, Set<String> customNames) {}

  private ResponsesTools() {}

  static Translated tools(JsonNode tools, List<String> notes) {
    ArrayNode functions = NODES.arrayNode();
    Set<String> custom = new LinkedHashSet<>();
    if (tools == null) {
      return new Translated(functions, custom);
    }
    for (int i = 0; i < tools.size(); i++) {
      String path = "tools[" + i + "]";
      JsonNode tool = RequestFields.FIELDS.requireObject(tools.get(i), path);
      String type = RequestFields.FIELDS.requiredString(tool, "type", path + ".type");
      switch (type) {
        case "function" -> functions.add(function(tool, path));
        case "custom" -> {
          ObjectNode function = custom(tool, path);
          custom.add(function.path("function").path("name").textValue());
          functions.add(function);
        }
        default -> notes.add(path + ": the built-in tool '" + type
            + "' has no chat-completions equivalent; dropped");
      }
    }
    return new Translated(functions, custom);
  }

  private static ObjectNode function(JsonNode tool, String path) {
    ObjectNode function = NODES.objectNode();
    function.put("name", RequestFields.FIELDS.requiredString(tool, "name", path + ".name"));
    String description = RequestFields.FIELDS.string(tool, "description", path + ".description");
    if (description != null) {
      function.put("description", description);
    }
    JsonNode parameters = JsonFields.get(tool, "parameters");
    if (parameters != null && !parameters.isObject()) {
      throw new TranslationException(path + ".parameters",
          "Invalid type for '" + path + ".parameters': expected an object.");
    }
    function.set("parameters", parameters == null ? emptyObjectSchema() : parameters.deepCopy());
    if (JsonFields.get(tool, "strict") != null) {
      function.put("strict", RequestFields.FIELDS.bool(tool, "strict", path + ".strict"));
    }
    return wrap(function);
  }

  private static ObjectNode custom(JsonNode tool, String path) {
    ObjectNode function = NODES.objectNode();
    function.put("name", RequestFields.FIELDS.requiredString(tool, "name", path + ".name"));
    StringBuilder description = new StringBuilder();
    String given = RequestFields.FIELDS.string(tool, "description", path + ".description");
    if (given != null) {
      description.append(given).append("\n\n");
    }
    description.append("Pass the whole text as the string argument `input`.");
    JsonNode format = RequestFields.FIELDS.object(tool, "format", path + ".format");
    if (format != null && "grammar".equals(RequestFields.FIELDS.string(format, "type", path + ".format.type"))) {
      String syntax = RequestFields.FIELDS.string(format, "syntax", path + ".format.syntax");
      String definition = RequestFields.FIELDS.string(format, "definition", path + ".format.definition");
      description.append(" The text must follow this ").append(syntax == null ? "grammar" : syntax)
          .append(" grammar:\n").append(definition == null ? "" : definition);
    }
    function.put("description", description.toString());
    ObjectNode parameters = function.putObject("parameters");
    parameters.put("type", "object");
    parameters.putObject("properties").putObject("input").put("type", "string");
    parameters.putArray("required").add("input");
    parameters.put("additionalProperties", false);
    return wrap(function);
  }

  private static ObjectNode wrap(ObjectNode function) {
    ObjectNode tool = NODES.objectNode().put("type", "function");
    tool.set("function", function);
    return tool;
  }

  private static ObjectNode emptyObjectSchema() {
    ObjectNode schema = NODES.objectNode().put("type", "object");
    schema.putObject("properties");
    return schema;
  }

  /** The chat {@code tool_choice} for {@code choice}, or {@code null} to leave it to the upstream. */
  static JsonNode toolChoice(JsonNode choice, List<String> notes) {
    if (choice == null) {
      return null;
    }
    if (choice.isTextual()) {
      return switch (choice.textValue()) {
        case "auto", "none", "required" -> choice;
        default -> throw new TranslationException("tool_choice",
            "Invalid value for 'tool_choice': expected 'auto', 'none', 'required' or an object.");
      };
    }
    if (!choice.isObject()) {
      throw new TranslationException("tool_choice", "Invalid type for 'tool_choice': expected a string or an object.");
    }
    String type = RequestFields.FIELDS.requiredString(choice, "type", "tool_choice.type");
    switch (type) {
      case "function", "custom" -> {
        ObjectNode forced = NODES.objectNode().put("type", "function");
        forced.putObject("function")
            .put("name", RequestFields.FIELDS.requiredString(choice, "name", "tool_choice.name"));
        return forced;
      }
      case "allowed_tools" -> {
        return AllowedTools.mode(choice);
      }
      default -> {
        notes.add("tool_choice: the built-in tool '" + type + "' was dropped; the model chooses");
        return NODES.textNode("auto");
      }
    }
  }
}
