package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.JsonTrees;
import dev.llmproxy.dialect.TokenCounter;
import dev.llmproxy.dialect.TranslationException;

/**
 * Input tokens of a Messages request, counted locally with {@link TokenCounter} (o200k_base): the answer of
 * {@code POST /v1/messages/count_tokens} and the estimate in {@code message_start}. It counts what the
 * model reads: the system prompt, every block of every message (text, {@code tool_use} name and input
 * JSON, {@code tool_result} content, {@code thinking} text, text documents), each tool definition (name,
 * description, schema JSON) and {@code tool_choice}, plus OpenAI's framing: 3 tokens per message and per
 * tool, 3 to prime the reply.
 *
 * <p>An image (or a non-text document) costs a fixed {@value #IMAGE_TOKENS}: Anthropic's price for an
 * image at its largest size before downscaling (about 1.15 megapixels, width × height / 750), so the
 * estimate errs high and context-size meters compact early rather than late. Decoding images to measure
 * them would cost far more than the estimate is worth. Other upstream families tokenize differently, so
 * this is an estimate (see {@link TokenCounter}). Long texts are counted once across requests
 * ({@link TokenMemo}), since Claude Code resends its whole conversation every turn. Thread-safe.
 */
public final class AnthropicTokenCount {
  /** Tokens counted for each image. */
  public static final int IMAGE_TOKENS = 1600;
  static final int PER_MESSAGE = 3;
  static final int REPLY_PRIMING = 3;

  private AnthropicTokenCount() {}

  /**
   * The input tokens of {@code body}.
   *
   * @throws TranslationException when the body is not an object, has no {@code messages}, or has
   *     a malformed {@code system}; other malformed parts are counted as far as they can be read
   */
  public static long count(JsonNode body) {
    JsonNode messages = BodyFields.messages(body);
    long tokens = REPLY_PRIMING;
    String system = SystemPrompt.text(body);
    if (!system.isEmpty()) {
      tokens += PER_MESSAGE + TokenMemo.count(system);
    }
    for (JsonNode message : messages) {
      tokens += PER_MESSAGE + content(message.path("content"));
    }
    for (JsonNode tool : body.path("tools")) {
      tokens += PER_MESSAGE + text(tool.path("name")) + text(tool.path("description"));
      tokens += json(tool.path("input_schema"));
    }
    return tokens + json(body.path("tool_choice"));
  }

  /** A message's or a tool result's content: a string or blocks. */
  private static long content(JsonNode content) {
    if (content.isTextual()) {
      return TokenMemo.count(content.textValue());
    }
    long tokens = 0;
    for (JsonNode block : content) {
      tokens += block(block);
    }
    return tokens;
  }

  private static long block(JsonNode block) {
    return switch (block.path("type").asText("")) {
      case "text" -> text(block.path("text"));
      case "thinking" -> text(block.path("thinking"));
      case "tool_use" -> text(block.path("name")) + json(block.path("input"));
      case "tool_result" -> content(block.path("content"));
      case "image" -> IMAGE_TOKENS;
      case "document" -> document(block.path("source"));
      default -> 0;
    };
  }

  private static long document(JsonNode source) {
    return switch (source.path("type").asText("")) {
      case "text" -> text(source.path("data"));
      case "content" -> content(source.path("content"));
      default -> IMAGE_TOKENS;
    };
  }

  /** An object's JSON text; nothing for anything else. */
  private static long json(JsonNode node) {
    return node.isObject() ? TokenMemo.count(JsonTrees.text(node)) : 0;
  }

  private static long text(JsonNode node) {
    return node.isTextual() ? TokenMemo.count(node.textValue()) : 0;
  }
}
