package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.llmproxy.dialect.JsonTrees;
import java.io.IOException;

/**
 * A tool call's {@code function.arguments} as Anthropic's {@code input}, which must be an object: the JSON
 * string parsed (an upstream that sends an object already is taken as is), and {@code {}} when the
 * arguments are empty, unparseable or not an object — a client then sees a call it can refuse, rather than
 * an answer it cannot parse at all. Unlike CLIProxyAPI, single-quoted pseudo-JSON is not repaired: guessing
 * at a model's intent inside tool input would run the tool on input the model never produced. Stateless.
 */
final class ToolArguments {
  private ToolArguments() {}

  static JsonNode input(JsonNode arguments) {
    if (arguments != null && arguments.isObject()) {
      return arguments;
    }
    if (arguments != null && arguments.isTextual() && !arguments.textValue().isBlank()) {
      try {
        JsonNode parsed = JsonTrees.parse(arguments.textValue());
        if (parsed != null && parsed.isObject()) {
          return parsed;
        }
      } catch (IOException e) {
        // Not JSON: the empty object below.
      }
    }
    return JsonNodeFactory.instance.objectNode();
  }
}
