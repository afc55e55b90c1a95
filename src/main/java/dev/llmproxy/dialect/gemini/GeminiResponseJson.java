package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.ChatUsage;
import dev.llmproxy.dialect.JsonTrees;

/**
 * The pieces of a {@code GenerateContentResponse} shared by the whole-answer and the stream translator:
 * the envelope, candidates, {@code functionCall} parts, {@code usageMetadata} and finish reasons.
 * Stateless.
 */
final class GeminiResponseJson {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String MALFORMED_FUNCTION_CALL = "MALFORMED_FUNCTION_CALL";

  private GeminiResponseJson() {}

  /**
   * {@code {"candidates": candidates, "usageMetadata"?, "modelVersion", "responseId"}}.
   *
   * @param usage the chat {@code usage}, or {@code null} to leave {@code usageMetadata} out
   * @param upstreamModel the model the upstream named, or {@code null}
   */
  static ObjectNode response(GeminiContext context, ArrayNode candidates, JsonNode usage, String upstreamModel) {
    ObjectNode response = NODES.objectNode();
    response.set("candidates", candidates);
    if (usage != null && usage.isObject()) {
      response.set("usageMetadata", usageMetadata(usage));
    }
    boolean named = upstreamModel != null && !upstreamModel.isEmpty();
    response.put("modelVersion", named ? upstreamModel : context.clientModel());
    response.put("responseId", context.responseId());
    return response;
  }

  /** A candidate; {@code finishReason} is left out while {@code null}. */
  static ObjectNode candidate(int index, ArrayNode parts, String finishReason) {
    ObjectNode candidate = NODES.objectNode();
    ObjectNode content = candidate.putObject("content");
    content.put("role", "model");
    content.set("parts", parts);
    if (finishReason != null) {
      candidate.put("finishReason", finishReason);
    }
    candidate.put("index", index);
    return candidate;
  }

  static ObjectNode textPart(String text, boolean thought) {
    ObjectNode part = NODES.objectNode().put("text", text);
    return thought ? part.put("thought", true) : part;
  }

  /**
   * A {@code functionCall} part, or {@code null} when {@code arguments} are not a JSON object (Gemini's
   * {@code args} is one; such a call is reported as {@link #MALFORMED_FUNCTION_CALL}).
   */
  static ObjectNode functionCallPart(String id, String name, String arguments) {
    JsonNode args;
    if (arguments == null || arguments.isBlank()) {
      args = NODES.objectNode();
    } else {
      try {
        args = JsonTrees.parse(arguments);
      } catch (JsonProcessingException e) {
        return null;
      }
      if (args == null || !args.isObject()) {
        return null;
      }
    }
    ObjectNode part = NODES.objectNode();
    ObjectNode call = part.putObject("functionCall").put("id", id).put("name", name);
    call.set("args", args);
    return part;
  }

  /**
   * Gemini's {@code finishReason} for a chat one: {@code stop} and {@code tool_calls} → {@code STOP},
   * {@code length} → {@code MAX_TOKENS}, {@code content_filter} → {@code SAFETY}; none (a stream that
   * ended without one) → {@code STOP}; anything else → {@code OTHER}.
   */
  static String finishReason(String chat) {
    if (chat == null) {
      return "STOP";
    }
    return switch (chat) {
      case "stop", "tool_calls", "function_call" -> "STOP";
      case "length" -> "MAX_TOKENS";
      case "content_filter" -> "SAFETY";
      default -> "OTHER";
    };
  }

  /**
   * {@code usageMetadata} for a chat {@code usage}. Gemini counts thoughts apart from the candidates,
   * OpenAI counts reasoning inside the completion, so {@code candidatesTokenCount} is the completion
   * minus its reasoning tokens; the prompt count includes the cached tokens in both.
   */
  static ObjectNode usageMetadata(JsonNode usage) {
    ChatUsage counts = ChatUsage.of(usage);
    long reasoning = Math.min(counts.completionTokens(), counts.reasoningTokens());
    ObjectNode metadata = NODES.objectNode();
    metadata.put("promptTokenCount", counts.promptTokens());
    metadata.put("candidatesTokenCount", counts.completionTokens() - reasoning);
    metadata.put("totalTokenCount", counts.totalTokens());
    if (counts.cachedTokens() > 0) {
      metadata.put("cachedContentTokenCount", counts.cachedTokens());
    }
    if (reasoning > 0) {
      metadata.put("thoughtsTokenCount", reasoning);
    }
    return metadata;
  }
}
