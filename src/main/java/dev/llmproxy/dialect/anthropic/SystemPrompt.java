package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.JsonFields;
import dev.llmproxy.dialect.TranslationException;

/**
 * The text of a Messages request's {@code system}: a string, or text blocks joined with {@code \n}
 * ({@code cache_control} and other block members have no upstream meaning). Claude Code's first system
 * block, {@code x-anthropic-billing-header: cc_version=…}, is attribution for Anthropic's billing, not an
 * instruction: it is dropped, as CLIProxyAPI does, since it only costs tokens and changes on every release
 * (which would also defeat upstream prompt caching). Stateless.
 */
final class SystemPrompt {
  static final String BILLING_HEADER = "x-anthropic-billing-header:";

  private SystemPrompt() {}

  /** The prompt text, empty when there is none. */
  static String text(JsonNode body) {
    JsonNode system = JsonFields.get(body, "system");
    if (system == null) {
      return "";
    }
    if (system.isTextual()) {
      return system.textValue();
    }
    if (!system.isArray()) {
      throw new TranslationException("system", "system: expected a string or an array of text blocks");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < system.size(); i++) {
      String path = "system[" + i + "]";
      JsonNode block = BodyFields.FIELDS.requireObject(system.get(i), path);
      String type = BodyFields.FIELDS.requiredString(block, "type", path + ".type");
      if (!"text".equals(type)) {
        throw new TranslationException(path + ".type", path + ".type: system blocks must be text, not " + type);
      }
      String blockText = BodyFields.FIELDS.requiredString(block, "text", path + ".text");
      if (blockText.isEmpty() || blockText.startsWith(BILLING_HEADER)) {
        continue;
      }
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(blockText);
    }
    return text.toString();
  }
}
