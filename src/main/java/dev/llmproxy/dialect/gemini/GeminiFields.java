package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.TranslationException;

/**
 * Reads a Gemini body's fields by their camelCase name or its snake_case spelling: Google's JSON
 * mapping accepts both ({@code systemInstruction} from the SDKs, {@code system_instruction} in Google's
 * curl examples). JSON {@code null} counts as absent. Typed reads fail as a 400 naming the field as the
 * SDKs spell it ({@code contents[2].parts[0].functionCall.name}). Stateless.
 */
final class GeminiFields {
  private GeminiFields() {}

  /** The member named {@code camel} (or its snake_case form), or {@code null} when absent or null. */
  static JsonNode get(JsonNode parent, String camel) {
    if (parent == null) {
      return null;
    }
    JsonNode value = parent.get(camel);
    if (value == null) {
      String snake = snake(camel);
      if (!snake.equals(camel)) {
        value = parent.get(snake);
      }
    }
    return value == null || value.isNull() ? null : value;
  }

  /** {@code functionCall} → {@code function_call}. */
  static String snake(String camel) {
    StringBuilder snake = null;
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        if (snake == null) {
          snake = new StringBuilder(camel.length() + 4).append(camel, 0, i);
        }
        snake.append('_').append(Character.toLowerCase(c));
      } else if (snake != null) {
        snake.append(c);
      }
    }
    return snake == null ? camel : snake.toString();
  }

  static String string(JsonNode parent, String camel, String path) {
    JsonNode value = get(parent, camel);
    if (value != null && !value.isTextual()) {
      throw invalid(path, "a string");
    }
    return value == null ? null : value.textValue();
  }

  static String requiredString(JsonNode parent, String camel, String path) {
    String value = string(parent, camel, path);
    if (value == null || value.isEmpty()) {
      throw new TranslationException(path, "'" + path + "' is required.");
    }
    return value;
  }

  /**
   * The member, which must be a number when present. {@code 1e999} parses as infinity, which would go
   * upstream as the string {@code "Infinity"}, so it is refused too.
   */
  static JsonNode number(JsonNode parent, String camel, String path) {
    JsonNode value = get(parent, camel);
    if (value != null && !value.isNumber()) {
      throw invalid(path, "a number");
    }
    if (value != null && !Double.isFinite(value.doubleValue())) {
      throw invalid(path, "a finite number");
    }
    return value;
  }

  /** A whole number, or {@code null}; {@code 512.0} is accepted as 512. */
  static Long integer(JsonNode parent, String camel, String path) {
    JsonNode value = get(parent, camel);
    if (value != null && !(value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToLong())) {
      throw invalid(path, "an integer");
    }
    return value == null ? null : value.asLong();
  }

  /** The member's value, {@code false} when absent. */
  static boolean bool(JsonNode parent, String camel, String path) {
    JsonNode value = get(parent, camel);
    if (value != null && !value.isBoolean()) {
      throw invalid(path, "a boolean");
    }
    return value != null && value.booleanValue();
  }

  /** The member, which must be an array when present. */
  static JsonNode array(JsonNode parent, String camel, String path) {
    JsonNode value = get(parent, camel);
    if (value != null && !value.isArray()) {
      throw invalid(path, "a list");
    }
    return value;
  }

  /** The member, which must be a list of strings when present. */
  static JsonNode strings(JsonNode parent, String camel, String path) {
    JsonNode value = array(parent, camel, path);
    for (int i = 0; value != null && i < value.size(); i++) {
      if (!value.get(i).isTextual()) {
        throw invalid(path + "[" + i + "]", "a string");
      }
    }
    return value;
  }

  /** The member, which must be an object when present. */
  static JsonNode object(JsonNode parent, String camel, String path) {
    JsonNode value = get(parent, camel);
    return value == null ? null : requireObject(value, path);
  }

  /** {@code node}, found at {@code path}, which must be an object. */
  static JsonNode requireObject(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw invalid(path, "an object");
    }
    return node;
  }

  private static TranslationException invalid(String path, String expected) {
    return new TranslationException(path, "Invalid value at '" + path + "': expected " + expected + ".");
  }
}
