package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.JsonFields;

/**
 * Reads a Responses body's fields with the Responses API's words for a 400 ({@code Invalid type for
 * 'input[3].content[0].image_url': expected a string.}, {@code Missing required parameter: 'tools[0].name'.}).
 * Stateless.
 */
final class RequestFields {
  static final JsonFields FIELDS = new JsonFields(RequestFields::wrongType, RequestFields::missing);

  private RequestFields() {}

  /** The boolean, or {@code absent} when the field is absent or null. */
  static boolean bool(JsonNode parent, String field, String path, boolean absent) {
    return JsonFields.get(parent, field) == null ? absent : FIELDS.bool(parent, field, path);
  }

  private static String wrongType(String path, String expected) {
    return "Invalid type for '" + path + "': expected " + expected + ".";
  }

  private static String missing(String path) {
    return "Missing required parameter: '" + path + "'.";
  }
}
