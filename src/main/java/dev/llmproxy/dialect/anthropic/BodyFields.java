package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.JsonFields;
import dev.llmproxy.dialect.TranslationException;

/**
 * Reads a client body's fields with Anthropic's words for a 400 ({@code messages[2].content[0].source: expected an
 * object}, {@code messages[0].role: field required}). A JSON {@code null} counts as absent, as the Anthropic SDKs
 * treat it. Stateless.
 */
final class BodyFields {
  static final JsonFields FIELDS =
      new JsonFields((path, expected) -> path + ": expected " + expected, path -> path + ": field required");

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
    JsonNode messages = FIELDS.array(body, "messages", "messages");
    if (messages == null || messages.isEmpty()) {
      throw new TranslationException("messages", "messages: at least one message is required");
    }
    return messages;
  }
}
