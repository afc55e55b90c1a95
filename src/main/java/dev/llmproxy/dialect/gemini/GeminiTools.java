package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Gemini request's {@code tools} and {@code toolConfig} in chat-completions form, and Gemini's schema
 * dialect as JSON Schema.
 *
 * <ul>
 *   <li>{@code functionDeclarations} become function tools; {@code parametersJsonSchema} is JSON Schema
 *       already, {@code parameters} (Gemini's OpenAPI subset) gets lower-case types and
 *       {@code nullable} as a {@code "null"} type. Google-side tools ({@code googleSearch},
 *       {@code codeExecution}, {@code urlContext}...) are dropped with a note.
 *   <li>{@code functionCallingConfig.mode} AUTO / NONE / ANY becomes {@code tool_choice} auto / none /
 *       required, or that function when ANY allows exactly one.
 * </ul>
 *
 * Stateless.
 */
final class GeminiTools {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private GeminiTools() {}

  /** The chat {@code tools} for {@code tools} (possibly empty). */
  static ArrayNode tools(JsonNode tools, List<String> notes) {
    ArrayNode functions = NODES.arrayNode();
    if (tools == null) {
      return functions;
    }
    for (int i = 0; i < tools.size(); i++) {
      String path = "tools[" + i + "]";
      JsonNode tool = GeminiFields.requireObject(tools.get(i), path);
      Iterator<String> kinds = tool.fieldNames();
      while (kinds.hasNext()) {
        String kind = kinds.next();
        if (!"functionDeclarations".equals(kind) && !"function_declarations".equals(kind)) {
          notes.add(path + "." + kind + ": Google-side tools have no chat-completions equivalent; dropped");
        }
      }
      JsonNode declarations = GeminiFields.array(tool, "functionDeclarations", path + ".functionDeclarations");
      for (int j = 0; declarations != null && j < declarations.size(); j++) {
        functions.add(function(declarations.get(j), path + ".functionDeclarations[" + j + "]"));
      }
    }
    return functions;
  }

  private static ObjectNode function(JsonNode declaration, String path) {
    GeminiFields.requireObject(declaration, path);
    ObjectNode function = NODES.objectNode();
    function.put("name", GeminiFields.requiredString(declaration, "name", path + ".name"));
    String description = GeminiFields.string(declaration, "description", path + ".description");
    if (description != null) {
      function.put("description", description);
    }
    JsonNode jsonSchema = GeminiFields.object(declaration, "parametersJsonSchema", path + ".parametersJsonSchema");
    JsonNode schema = GeminiFields.object(declaration, "parameters", path + ".parameters");
    if (jsonSchema != null) {
      function.set("parameters", jsonSchema.deepCopy());
    } else if (schema != null) {
      function.set("parameters", jsonSchema(schema));
    } else {
      ObjectNode empty = function.putObject("parameters").put("type", "object");
      empty.putObject("properties");
    }
    ObjectNode tool = NODES.objectNode().put("type", "function");
    tool.set("function", function);
    return tool;
  }

  /**
   * {@code schema}, a Gemini {@code Schema} (types spelled {@code OBJECT}, {@code STRING}, a
   * {@code nullable} flag), as JSON Schema; a copy.
   */
  static JsonNode jsonSchema(JsonNode schema) {
    if (schema.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      schema.forEach(element -> copy.add(jsonSchema(element)));
      return copy;
    }
    if (!schema.isObject()) {
      return schema.deepCopy();
    }
    ObjectNode copy = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> fields = schema.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      if ("type".equals(key) && value.isTextual()) {
        String type = value.textValue().toLowerCase(Locale.ROOT);
        if (!"type_unspecified".equals(type)) {
          copy.put("type", type);
        }
      } else if (!"nullable".equals(key)) {
        copy.set(key, jsonSchema(value));
      }
    }
    if (schema.path("nullable").asBoolean(false) && copy.path("type").isTextual()) {
      String type = copy.get("type").textValue();
      copy.putArray("type").add(type).add("null");
    }
    return copy;
  }

  /** The chat {@code tool_choice} for {@code toolConfig}, or {@code null} to leave it to the upstream. */
  static JsonNode toolChoice(JsonNode toolConfig, List<String> notes) {
    JsonNode config = GeminiFields.object(toolConfig, "functionCallingConfig", "toolConfig.functionCallingConfig");
    if (config == null) {
      return null;
    }
    String mode = GeminiFields.string(config, "mode", "toolConfig.functionCallingConfig.mode");
    JsonNode allowed = GeminiFields.strings(config, "allowedFunctionNames",
        "toolConfig.functionCallingConfig.allowedFunctionNames");
    switch (mode == null ? "" : mode.toUpperCase(Locale.ROOT)) {
      case "AUTO" -> {
        return NODES.textNode("auto");
      }
      case "NONE" -> {
        return NODES.textNode("none");
      }
      case "ANY" -> {
        if (allowed != null && allowed.size() == 1) {
          ObjectNode forced = NODES.objectNode().put("type", "function");
          forced.putObject("function").put("name", allowed.get(0).textValue());
          return forced;
        }
        if (allowed != null && allowed.size() > 1) {
          notes.add("toolConfig: chat completions cannot limit a required call to some functions; any may be called");
        }
        return NODES.textNode("required");
      }
      case "VALIDATED" -> {
        notes.add("toolConfig: mode VALIDATED has no chat-completions equivalent; sent as auto");
        return NODES.textNode("auto");
      }
      default -> {
        return null;
      }
    }
  }
}
