package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Token usage in Anthropic's terms, from an OpenAI {@code usage} object. Anthropic's total input is
 * {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens}, while OpenAI's
 * {@code prompt_tokens} already includes the cached part: so the cached tokens are subtracted from the
 * input, or clients count them twice. Cached tokens come from {@code prompt_tokens_details.cached_tokens}
 * (OpenAI, vLLM) or {@code prompt_cache_hit_tokens} (DeepSeek). Output includes reasoning tokens, as
 * Anthropic counts thinking. Immutable.
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
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    if (cached <= 0) {
      cached = usage.path("prompt_cache_hit_tokens").asLong(0);
    }
    JsonNode prompt = usage.get("prompt_tokens");
    long input = prompt != null && prompt.isNumber() ? Math.max(0, prompt.asLong() - cached) : inputEstimate;
    long output = Math.max(0, usage.path("completion_tokens").asLong(0));
    return new UsageCounts(input, output, Math.max(0, cached));
  }

  /** Writes the members of a Message's or a {@code message_delta}'s {@code usage} object. */
  void writeFields(JsonGenerator json) throws IOException {
    json.writeNumberField("input_tokens", input);
    json.writeNumberField("cache_creation_input_tokens", 0);
    json.writeNumberField("cache_read_input_tokens", cacheRead);
    json.writeNumberField("output_tokens", output);
  }
}
