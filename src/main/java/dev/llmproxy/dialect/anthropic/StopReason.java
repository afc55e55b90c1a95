package dev.llmproxy.dialect.anthropic;

/**
 * Anthropic's {@code stop_reason} for an OpenAI {@code finish_reason}. Any {@code tool_use} block in the
 * answer makes it {@code tool_use} whatever the upstream said: several upstreams finish with {@code stop}
 * after tool calls, and a client that reads {@code end_turn} never runs the tool (the session stalls). A
 * stop sequence cannot be told apart from a natural stop (OpenAI does not say which stop string matched),
 * so it reports {@code end_turn}. Stateless.
 */
final class StopReason {
  private StopReason() {}

  static String of(String finishReason, boolean answerHasToolUse) {
    if (answerHasToolUse) {
      return "tool_use";
    }
    if (finishReason == null) {
      return "end_turn";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }
}
