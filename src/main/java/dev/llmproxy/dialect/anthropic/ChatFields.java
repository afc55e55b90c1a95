package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the parts of a chat-completions {@code message} or streamed {@code delta} whose spelling varies
 * between upstreams. Stateless.
 */
final class ChatFields {
  private ChatFields() {}

  /**
   * The reasoning text: {@code reasoning_content} (DeepSeek, vLLM, Qwen, Kimi) or {@code reasoning}
   * (OpenRouter, newer vLLM); {@code null} when neither holds text.
   */
  static String reasoning(JsonNode message) {
    String text = nonEmpty(message.get("reasoning_content"));
    return text != null ? text : nonEmpty(message.get("reasoning"));
  }

  /**
   * The answer text: a string, or the text parts of a content array; else the text of a {@code refusal}, which OpenAI
   * models send in place of content (dropped, Claude Code showed an empty answer); {@code null} when empty.
   */
  static String content(JsonNode message) {
    String text = text(message.get("content"));
    return text != null ? text : nonEmpty(message.get("refusal"));
  }

  private static String text(JsonNode content) {
    if (content == null || !content.isArray()) {
      return nonEmpty(content);
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
        text.append(part.get("text").textValue());
      }
    }
    return text.isEmpty() ? null : text.toString();
  }

  /** The finish reason of a choice, {@code null} when absent. */
  static String finishReason(JsonNode choice) {
    return nonEmpty(choice.get("finish_reason"));
  }

  /** The text of a string node, {@code null} when absent, not a string or empty. */
  static String nonEmpty(JsonNode node) {
    return node != null && node.isTextual() && !node.textValue().isEmpty() ? node.textValue() : null;
  }
}
