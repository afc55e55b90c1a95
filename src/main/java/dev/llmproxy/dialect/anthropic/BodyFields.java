package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.TranslationException;

/**
 * Typed reads of a client body's fields that fail as a 400 naming the field the way Anthropic's API
 * spells it ({@code messages[2].content[0].source}). A JSON {@code null} counts as absent, as the Anthropic
 * SDKs treat it. Stateless.
 */
final class BodyFields {
  private BodyFields() {}

  /**
   * The non-empty {@code messages} array of a Messages or count_tokens body.
   *
   * @throws TranslationException when the body is not an object or has no messages
   */
  static JsonNode messages(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new TranslationException(null, "The request body must be a JSON object");
    }
    JsonNode messages = array(body, "messages", "messages");
    if (messages == null || messages.isEmpty()) {
      throw new TranslationException("messages", "messages: at least one message is required");
    }
    return messages;
  }

  /** The member, or {@code null} when it is absent or JSON null. */
  static JsonNode get(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    return value == null || value.isNull() ? null : value;
  }

  static String string(JsonNode parent, String field, String path) {
    JsonNode value = get(parent, field);
    if (value != null && !value.isTextual()) {
      throw new TranslationException(path, path + ": expected a string");
    }
    return value == null ? null : value.textValue();
  }

  static String requiredString(JsonNode parent, String field, String path) {
    String value = string(parent, field, path);
    if (value == null) {
      throw new TranslationException(path, path + ": field required");
    }
    return value;
  }

  static JsonNode array(JsonNode parent, String field, String path) {
    JsonNode value = get(parent, field);
    if (value != null && !value.isArray()) {
      throw new TranslationException(path, path + ": expected an array");
    }
    return value;
  }

  static JsonNode object(JsonNode parent, String field, String path) {
    JsonNode value = get(parent, field);
    if (value != null && !value.isObject()) {
      throw new TranslationException(path, path + ": expected an object");
    }
    return value;
  }

  static JsonNode requiredObject(JsonNode parent, String field, String path) {
    JsonNode value = object(parent, field, path);
    if (value == null) {
      throw new TranslationException(path, path + ": field required");
    }
    return value;
  }

  static JsonNode number(JsonNode parent, String field, String path) {
    JsonNode value = get(parent, field);
    if (value != null && !value.isNumber()) {
      throw new TranslationException(path, path + ": expected a number");
    }
    return value;
  }

  /** A whole number, or {@code null}; {@code 32000.0} is accepted as 32000. */
  static Long integer(JsonNode parent, String field, String path) {
    JsonNode value = number(parent, field, path);
    if (value == null) {
      return null;
    }
    if (!value.canConvertToExactIntegral() || !value.canConvertToLong()) {
      throw new TranslationException(path, path + ": expected an integer");
    }
    return value.asLong();
  }

  static boolean bool(JsonNode parent, String field, String path) {
    JsonNode value = get(parent, field);
    if (value != null && !value.isBoolean()) {
      throw new TranslationException(path, path + ": expected a boolean");
    }
    return value != null && value.booleanValue();
  }

  /** The object at {@code node}, which is an element of an array at {@code path}. */
  static JsonNode requireObject(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new TranslationException(path, path + ": expected an object");
    }
    return node;
  }
}
