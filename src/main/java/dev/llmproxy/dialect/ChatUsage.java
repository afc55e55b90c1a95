package dev.llmproxy.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.usage.TokenUsage;

/**
 * The token counts of an upstream's chat-completions {@code usage} object, read the same way for every client
 * dialect: a count that is absent, not a number or out of bounds is 0; cached tokens come from
 * {@code prompt_tokens_details.cached_tokens} (OpenAI, vLLM) or, when that gives none,
 * {@code prompt_cache_hit_tokens} (DeepSeek); the total is {@code total_tokens} or prompt plus completion. As in
 * OpenAI's own counts, the prompt includes the cached tokens and the completion includes the reasoning tokens.
 * Immutable.
 */
public record ChatUsage(
    long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens, long totalTokens) {
  /**
   * A chat stream's usage chunk is a few hundred bytes: larger events are content, and are not searched for
   * {@code usage} (a scan per event of a bulk stream costs).
   */
  public static final int CHUNK_MAX_BYTES = 4 * 1024;

  /** The counts of {@code usage}, which must be an object. */
  public static ChatUsage of(JsonNode usage) {
    long prompt = count(usage.path("prompt_tokens"), 0);
    long completion = count(usage.path("completion_tokens"), 0);
    long cached = count(usage.path("prompt_tokens_details").path("cached_tokens"), 0);
    if (cached <= 0) {
      cached = count(usage.path("prompt_cache_hit_tokens"), 0);
    }
    long reasoning = count(usage.path("completion_tokens_details").path("reasoning_tokens"), 0);
    return new ChatUsage(prompt, completion, cached, reasoning,
        count(usage.path("total_tokens"), prompt + completion));
  }

  /**
   * A count as {@link TokenUsage} accepts one (a number from 0 to {@link TokenUsage#MAX_COUNT}), else
   * {@code otherwise}: {@code 1e999999} had reached clients as 9223372036854775807 tokens.
   */
  private static long count(JsonNode node, long otherwise) {
    if (!node.isNumber()) {
      return otherwise;
    }
    double value = node.asDouble();
    return value >= 0 && value <= TokenUsage.MAX_COUNT ? node.asLong() : otherwise;
  }

  /**
   * The {@code usage} object of a stream chunk, or {@code seen} (what earlier chunks reported) when the chunk has
   * none: the usage comes in a chunk of its own near the end, which a stream translator remembers for its last event.
   */
  public static JsonNode latest(JsonNode chunk, JsonNode seen) {
    JsonNode usage = chunk.get("usage");
    return usage != null && usage.isObject() ? usage : seen;
  }
}
