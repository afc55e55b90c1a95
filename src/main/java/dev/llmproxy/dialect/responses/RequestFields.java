package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.TranslationException;

/**
 * Typed reads of a Responses body's fields that fail as a 400 naming the field as the Responses API
 * spells it ({@code input[3].content[0].image_url}). JSON {@code null} counts as absent, as the
 * OpenAI SDKs send it for unset options. Stateless.
 */
final class RequestFields {
  private RequestFields() {}

  /** The member, or {@code null} when it is absent or JSON null. */
  static JsonNode get(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    return value == null || value.isNull() ? null : value;
  }

  static String string(JsonNode parent, String field, String path) {
    JsonNode value = get(parent, field);
    if (value != null && !value.isTextual()) {
      throw new TranslationException(path, "Invalid type for '" + path + "': expected a string.");
    }
    return value == null ? null : value.textValue();
  }

  static String requiredString(JsonNode parent, String field, String path) {
    String value = string(parent, field, path);
    if (value == null) {
      throw new TranslationException(path, "Missing required parameter: '" + path + "'.");
    }
    return value;
  }

  /** The element of an array at {@code path}, which must be an object. */
  static JsonNode object(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new TranslationException(path, "Invalid type for '" + path + "': expected an object.");
    }
    return node;
  }

  /** The member, which must be an array when present. */
  static JsonNode array(JsonNode parent, String field, String path) {
    JsonNode value = get(parent, field);
    if (value != null && !value.isArray()) {
      throw new TranslationException(path, "Invalid type for '" + path + "': expected an array.");
    }
    return value;
  }
}
