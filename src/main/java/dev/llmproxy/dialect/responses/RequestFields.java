package dev.llmproxy.dialect.responses;

import dev.llmproxy.dialect.JsonFields;

/**
 * Reads a Responses body's fields with the Responses API's words for a 400 ({@code Invalid type for
 * 'input[3].content[0].image_url': expected a string.}, {@code Missing required parameter: 'tools[0].name'.}).
 * Stateless.
 */
final class RequestFields {
  static final JsonFields FIELDS = new JsonFields(RequestFields::wrongType, RequestFields::missing);

  private RequestFields() {}

  private static String wrongType(String path, String expected) {
    return "Invalid type for '" + path + "': expected " + expected + ".";
  }

  private static String missing(String path) {
    return "Missing required parameter: '" + path + "'.";
  }
}
