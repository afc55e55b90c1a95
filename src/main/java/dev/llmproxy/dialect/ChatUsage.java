package dev.llmproxy.dialect;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The token counts of an upstream's chat-completions {@code usage} object, read the same way for every client
 * dialect: a count that is absent or not a number is 0; cached tokens come from
 * {@code prompt_tokens_details.cached_tokens} (OpenAI, vLLM) or, when that gives none,
 * {@code prompt_cache_hit_tokens} (DeepSeek); the total is {@code total_tokens} or prompt plus completion. As in
 * OpenAI's own counts, the prompt includes the cached tokens and the completion includes the reasoning tokens.
 * Immutable.
 */
public record ChatUsage(
    long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens, long totalTokens) {

  /** The counts of {@code usage}, which must be an object. */
  public static ChatUsage of(JsonNode usage) {
    long prompt = usage.path("prompt_tokens").asLong(0);
    long completion = usage.path("completion_tokens").asLong(0);
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    if (cached <= 0) {
      cached = usage.path("prompt_cache_hit_tokens").asLong(0);
    }
    long reasoning = usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0);
    return new ChatUsage(prompt, completion, cached, reasoning, usage.path("total_tokens").asLong(prompt + completion));
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
