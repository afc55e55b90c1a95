package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.TranslationException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Messages request's {@code tools} and {@code tool_choice} as chat-completions {@code tools},
 * {@code tool_choice} and {@code parallel_tool_calls}, written into the chat body.
 *
 * <ul>
 *   <li>A tool with an {@code input_schema} becomes a function; names are given upstream-valid forms by
 *       the request's {@link ToolNames.Builder}. A bare object schema gets {@code "properties": {}}, which
 *       strict upstreams require.
 *   <li>A client tool (no {@code type}, or {@code custom}) must have an {@code input_schema}: without one it
 *       could only be dropped, and the model would never see a tool its client offered.
 *   <li>Server tools ({@code web_search_…}, {@code bash_…}, {@code text_editor_…}, {@code computer_…}) have
 *       no schema and run inside Anthropic's API: no upstream can run them, so they are dropped and their
 *       names reported in {@link #dropped()}.
 *   <li>{@code tool_choice}: {@code auto} → {@code "auto"}, {@code any} → {@code "required"}, {@code none}
 *       → {@code "none"}, {@code tool} → {@code {"type":"function","function":{"name"}}};
 *       {@code disable_parallel_tool_use: true} → {@code parallel_tool_calls: false}. Both are sent only
 *       with tools (upstreams reject them alone).
 * </ul>
 *
 * Not thread-safe: one per request.
 */
final class ToolDefinitions {
  private final ToolNames.Builder toolNames;
  private final List<String> dropped = new ArrayList<>();

  ToolDefinitions(ToolNames.Builder toolNames) {
    this.toolNames = toolNames;
  }

  /** Writes the tool fields of {@code body} into {@code chat}. */
  void translate(JsonNode body, ObjectNode chat) {
    JsonNode tools = BodyFields.FIELDS.array(body, "tools", "tools");
    ArrayNode functions = chat.arrayNode();
    for (int i = 0; tools != null && i < tools.size(); i++) {
      String path = "tools[" + i + "]";
      JsonNode tool = BodyFields.FIELDS.requireObject(tools.get(i), path);
      String name = BodyFields.FIELDS.requiredString(tool, "name", path + ".name");
      String type = BodyFields.FIELDS.string(tool, "type", path + ".type");
      JsonNode schema = type == null || "custom".equals(type)
          ? BodyFields.FIELDS.requiredObject(tool, "input_schema", path + ".input_schema")
          : BodyFields.FIELDS.object(tool, "input_schema", path + ".input_schema");
      if (schema == null) {
        dropped.add(name);
        continue;
      }
      ObjectNode parameters = schema.deepCopy();
      if ("object".equals(parameters.path("type").asText()) && !parameters.has("properties")) {
        parameters.putObject("properties");
      }
      ObjectNode function = functions.addObject().put("type", "function").putObject("function");
      function.put("name", toolNames.upstreamName(name));
      String description = BodyFields.FIELDS.string(tool, "description", path + ".description");
      if (description != null) {
        function.put("description", description);
      }
      function.set("parameters", parameters);
    }
    JsonNode choice = BodyFields.FIELDS.object(body, "tool_choice", "tool_choice");
    if (functions.isEmpty()) {
      return;
    }
    chat.set("tools", functions);
    if (choice == null) {
      return;
    }
    String type = BodyFields.FIELDS.requiredString(choice, "type", "tool_choice.type");
    switch (type) {
      case "auto" -> chat.put("tool_choice", "auto");
      case "any" -> chat.put("tool_choice", "required");
      case "none" -> chat.put("tool_choice", "none");
      case "tool" -> {
        String name = BodyFields.FIELDS.requiredString(choice, "name", "tool_choice.name");
        if (!toolNames.knows(name)) {
          throw new TranslationException("tool_choice.name",
              "tool_choice.name: '" + name + "' is not one of the request's function tools");
        }
        chat.putObject("tool_choice").put("type", "function").putObject("function")
            .put("name", toolNames.upstreamName(name));
      }
      default -> throw new TranslationException("tool_choice.type",
          "tool_choice.type: expected auto, any, tool or none, not '" + type + "'");
    }
    if (BodyFields.FIELDS.bool(choice, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use")) {
      chat.put("parallel_tool_calls", false);
    }
  }

  /** Names of the server tools left out. */
  List<String> dropped() {
    return List.copyOf(dropped);
  }
}
