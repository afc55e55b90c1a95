package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.ChatUsage;
import java.io.IOException;

/**
 * Token usage in Anthropic's terms, from an OpenAI {@code usage} object. Anthropic's total input is
 * {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens}, while OpenAI's
 * {@code prompt_tokens} already includes the cached part: so the cached tokens are subtracted from the
 * input, or clients count them twice ({@link ChatUsage} says where the cached tokens are found). Output
 * includes reasoning tokens, as Anthropic counts thinking. Immutable.
 *
 * @param input uncached input tokens
 * @param output output tokens
 * @param cacheRead input tokens read from the upstream's prompt cache
 */
record UsageCounts(long input, long output, long cacheRead) {

  /**
   * Reads {@code usage}; when it is missing or has no {@code prompt_tokens}, the input is
   * {@code inputEstimate} so that a client never reads a context size of zero.
   */
  static UsageCounts from(JsonNode usage, long inputEstimate) {
    if (usage == null || !usage.isObject()) {
      return new UsageCounts(inputEstimate, 0, 0);
    }
    ChatUsage counts = ChatUsage.of(usage);
    long cached = counts.cachedTokens();
    JsonNode prompt = usage.get("prompt_tokens");
    long input = prompt != null && prompt.isNumber() ? Math.max(0, counts.promptTokens() - cached) : inputEstimate;
    return new UsageCounts(input, Math.max(0, counts.completionTokens()), Math.max(0, cached));
  }

  /** Writes the members of a Message's or a {@code message_delta}'s {@code usage} object. */
  void writeFields(JsonGenerator json) throws IOException {
    json.writeNumberField("input_tokens", input);
    json.writeNumberField("cache_creation_input_tokens", 0);
    json.writeNumberField("cache_read_input_tokens", cacheRead);
    json.writeNumberField("output_tokens", output);
  }
}
