package dev.llmproxy.dialect.anthropic;

/**
 * Anthropic's {@code stop_reason} for an OpenAI {@code finish_reason}. {@code length} is always
 * {@code max_tokens}, even when the answer holds a {@code tool_use} block: a call cut by the token limit has
 * partial or empty input, and a client that reads {@code tool_use} runs the tool with it (Anthropic reports
 * {@code max_tokens} for output cut mid-call too). Otherwise any {@code tool_use} block makes it
 * {@code tool_use} whatever the upstream said: several upstreams finish with {@code stop} after tool calls,
 * and a client that reads {@code end_turn} never runs the tool (the session stalls). A stop sequence cannot
 * be told apart from a natural stop (OpenAI does not say which stop string matched), so it reports
 * {@code end_turn}. Stateless.
 */
final class StopReason {
  private StopReason() {}

  static String of(String finishReason, boolean answerHasToolUse) {
    if ("length".equals(finishReason)) {
      return "max_tokens";
    }
    if (answerHasToolUse) {
      return "tool_use";
    }
    if (finishReason == null) {
      return "end_turn";
    }
    return switch (finishReason) {
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }
}
