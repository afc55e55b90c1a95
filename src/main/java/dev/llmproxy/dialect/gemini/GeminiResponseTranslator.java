package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.JsonTrees;

/**
 * Turns a chat completion (non-streamed) into a {@code GenerateContentResponse} (spec §3): one candidate
 * per choice, its parts in this order: the reasoning as a {@code thought: true} text part, the text, then
 * one {@code functionCall} part per tool call in the upstream's order (arguments parsed into
 * {@code args}). A call whose arguments are not a JSON object is left out and the candidate finishes
 * with {@code MALFORMED_FUNCTION_CALL}, as Gemini reports such calls. Usage becomes
 * {@code usageMetadata}; {@code modelVersion} is the upstream's model. Stateless and thread-safe.
 */
public final class GeminiResponseTranslator {
  private GeminiResponseTranslator() {}

  /** The {@code GenerateContentResponse} JSON for {@code completion}, a {@code chat.completion} object. */
  public static byte[] toResponse(JsonNode completion, GeminiContext context) {
    ArrayNode candidates = GeminiResponseJson.NODES.arrayNode();
    for (JsonNode choice : completion.path("choices")) {
      candidates.add(candidate(choice, context));
    }
    ObjectNode response = GeminiResponseJson.response(context, candidates, completion.get("usage"),
        completion.path("model").asText(null));
    return JsonTrees.bytes(response);
  }

  private static ObjectNode candidate(JsonNode choice, GeminiContext context) {
    int index = choice.path("index").asInt(0);
    JsonNode message = choice.path("message");
    ArrayNode parts = GeminiResponseJson.NODES.arrayNode();
    String reasoning = message.path("reasoning_content").asText("");
    if (reasoning.isEmpty()) {
      reasoning = message.path("reasoning").isTextual() ? message.get("reasoning").textValue() : "";
    }
    if (!reasoning.isEmpty()) {
      parts.add(GeminiResponseJson.textPart(reasoning, true));
    }
    String text = message.path("content").isTextual() ? message.get("content").textValue() : "";
    if (text.isEmpty()) {
      text = message.path("refusal").asText("");
    }
    if (!text.isEmpty()) {
      parts.add(GeminiResponseJson.textPart(text, false));
    }
    boolean malformed = false;
    JsonNode calls = message.path("tool_calls");
    for (int k = 0; k < calls.size(); k++) {
      JsonNode call = calls.get(k);
      String id = call.path("id").asText("");
      ObjectNode part = GeminiResponseJson.functionCallPart(id.isEmpty() ? context.callId(index, k) : id,
          call.path("function").path("name").asText(""), call.path("function").path("arguments").asText(""));
      if (part == null) {
        malformed = true;
      } else {
        parts.add(part);
      }
    }
    String finishReason = malformed ? GeminiResponseJson.MALFORMED_FUNCTION_CALL
        : GeminiResponseJson.finishReason(choice.path("finish_reason").textValue());
    return GeminiResponseJson.candidate(index, parts, finishReason);
  }
}
