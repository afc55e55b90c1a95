package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.JsonTrees;

/**
 * Turns a chat completion (non-streamed) into a Response object (spec §2): {@code output} holds, in
 * this order, a {@code reasoning} item (from {@code reasoning_content} or {@code reasoning}, its text
 * as a {@code summary_text}), the assistant {@code message} item, then one {@code function_call} (or
 * {@code custom_tool_call}) item per tool call in the upstream's order. {@code finish_reason}
 * {@code length}/{@code content_filter} make the response {@code incomplete}. Only the first choice
 * counts: the Responses API has no {@code n}. Stateless and thread-safe.
 */
public final class ResponsesResponseTranslator {
  private ResponsesResponseTranslator() {}

  /** The Response JSON for {@code completion}, a {@code chat.completion} object. */
  public static byte[] toResponse(JsonNode completion, ResponsesContext context) {
    return JsonTrees.bytes(response(completion, context));
  }

  static ObjectNode response(JsonNode completion, ResponsesContext context) {
    JsonNode choice = completion.path("choices").path(0);
    JsonNode message = choice.path("message");
    String finishReason = choice.path("finish_reason").textValue();
    ObjectNode response = ResponseJson.response(context, "completed");
    ArrayNode output = (ArrayNode) response.get("output");

    String reasoning = firstText(message, "reasoning_content", "reasoning");
    if (!reasoning.isEmpty()) {
      output.add(ResponseJson.reasoningItem(context.itemId("rs", output.size()), reasoning));
    }
    String text = content(message.path("content"));
    if (text.isEmpty()) {
      text = message.path("refusal").asText("");
    }
    if (!text.isEmpty()) {
      String status = ResponseJson.incompleteReason(finishReason) == null ? "completed" : "incomplete";
      output.add(ResponseJson.messageItem(context.itemId("msg", output.size()), status, text));
    }
    for (JsonNode call : message.path("tool_calls")) {
      addCall(output, context, call.path("id").asText(""), call.path("function"));
    }
    if (message.path("function_call").isObject()) {
      addCall(output, context, "", message.get("function_call"));
    }
    ResponseJson.end(response, finishReason, completion.get("usage"));
    return response;
  }

  private static void addCall(ArrayNode output, ResponsesContext context, String id, JsonNode function) {
    int index = output.size();
    String callId = id.isEmpty() ? context.itemId("call", index) : id;
    output.add(ResponseJson.toolCallItem(context, index, callId, function.path("name").asText(""),
        ResponseJson.arguments(function.path("arguments").asText("")), "completed"));
  }

  /** The message text: a string, or (from a few upstreams) an array of text parts. */
  private static String content(JsonNode content) {
    if (content.isTextual()) {
      return content.textValue();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      text.append(part.path("text").asText(""));
    }
    return text.toString();
  }

  private static String firstText(JsonNode message, String field, String alternative) {
    JsonNode value = message.path(field);
    if (!value.isTextual() || value.textValue().isEmpty()) {
      value = message.path(alternative);
    }
    return value.isTextual() ? value.textValue() : "";
  }
}
