package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.JsonFields;
import dev.llmproxy.dialect.TranslationException;

/**
 * Reads a Gemini body's fields by their camelCase name or its snake_case spelling: Google's JSON
 * mapping accepts both ({@code systemInstruction} from the SDKs, {@code system_instruction} in Google's
 * curl examples). JSON {@code null} counts as absent. Typed reads fail as a 400 naming the field as the
 * SDKs spell it ({@code contents[2].parts[0].functionCall.name}). Stateless.
 */
final class GeminiFields {
  /** The typed reads, by camelCase or snake_case name, in Google's words. */
  private static final JsonFields FIELDS = new JsonFields(GeminiFields::invalidValue,
      path -> "'" + path + "' is required.", GeminiFields::get);

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
    return FIELDS.string(parent, camel, path);
  }

  static String requiredString(JsonNode parent, String camel, String path) {
    String value = string(parent, camel, path);
    if (value == null || value.isEmpty()) {
      throw new TranslationException(path, "'" + path + "' is required.");
    }
    return value;
  }

  /** The member, which must be a finite number when present. */
  static JsonNode number(JsonNode parent, String camel, String path) {
    return FIELDS.number(parent, camel, path);
  }

  /** A whole number, or {@code null}; {@code 512.0} is accepted as 512. */
  static Long integer(JsonNode parent, String camel, String path) {
    return FIELDS.integer(parent, camel, path);
  }

  /** The member's value, {@code false} when absent. */
  static boolean bool(JsonNode parent, String camel, String path) {
    return FIELDS.bool(parent, camel, path);
  }

  /** The member, which must be an array when present. */
  static JsonNode array(JsonNode parent, String camel, String path) {
    return FIELDS.array(parent, camel, path);
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
    return FIELDS.object(parent, camel, path);
  }

  /** {@code node}, found at {@code path}, which must be an object. */
  static JsonNode requireObject(JsonNode node, String path) {
    return FIELDS.requireObject(node, path);
  }

  private static TranslationException invalid(String path, String expected) {
    return new TranslationException(path, invalidValue(path, expected));
  }

  /** Google's words for a value of the wrong type; what JSON calls an array, Google calls a list. */
  private static String invalidValue(String path, String expected) {
    return "Invalid value at '" + path + "': expected " + (expected.equals("an array") ? "a list" : expected) + ".";
  }
}
