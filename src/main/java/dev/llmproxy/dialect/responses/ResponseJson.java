package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.ChatUsage;
import dev.llmproxy.dialect.JsonTrees;
import java.util.Iterator;
import java.util.Map;

/**
 * The pieces of the Responses API's answer shared by the whole-answer and the stream translator: the
 * Response object, its output items, its usage, and how a chat {@code finish_reason} ends it. Stateless.
 */
final class ResponseJson {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ResponseJson() {}

  /** A Response with no output and no usage yet, repeating the request's parameters. */
  static ObjectNode response(ResponsesContext context, String status) {
    ObjectNode response = NODES.objectNode();
    response.put("id", context.responseId());
    response.put("object", "response");
    response.put("created_at", context.createdAt());
    response.put("status", status);
    response.put("background", false);
    response.putNull("error");
    response.putNull("incomplete_details");
    response.put("model", context.clientModel());
    response.putArray("output");
    context.echoInto(response);
    response.putNull("usage");
    return response;
  }

  /**
   * Sets what the end of the answer decides: {@code status} ({@code incomplete} when the upstream
   * stopped at its token limit or its content filter), {@code incomplete_details} and {@code usage}.
   */
  static void end(ObjectNode response, String finishReason, JsonNode chatUsage) {
    String reason = incompleteReason(finishReason);
    response.put("status", reason == null ? "completed" : "incomplete");
    if (reason != null) {
      response.putObject("incomplete_details").put("reason", reason);
    }
    response.set("usage", usage(chatUsage));
  }

  /** {@code max_output_tokens} or {@code content_filter} for an answer cut short, else {@code null}. */
  static String incompleteReason(String finishReason) {
    if ("length".equals(finishReason)) {
      return "max_output_tokens";
    }
    return "content_filter".equals(finishReason) ? "content_filter" : null;
  }

  /**
   * The Responses {@code usage} for a chat {@code usage}, or JSON null when the upstream sent none.
   * Input includes cached tokens and output includes reasoning tokens, as in both APIs ({@link ChatUsage}).
   */
  static JsonNode usage(JsonNode chat) {
    if (chat == null || !chat.isObject()) {
      return NODES.nullNode();
    }
    ChatUsage counts = ChatUsage.of(chat);
    ObjectNode usage = NODES.objectNode();
    usage.put("input_tokens", counts.promptTokens());
    // Chat completions report no cache writes; the SDKs require the field.
    usage.putObject("input_tokens_details").put("cached_tokens", counts.cachedTokens()).put("cache_write_tokens", 0);
    usage.put("output_tokens", counts.completionTokens());
    usage.putObject("output_tokens_details").put("reasoning_tokens", counts.reasoningTokens());
    usage.put("total_tokens", counts.totalTokens());
    return usage;
  }

  /** A {@code reasoning} item; its summary is empty while {@code text} is {@code null}. */
  static ObjectNode reasoningItem(String id, String text) {
    ObjectNode item = NODES.objectNode().put("id", id).put("type", "reasoning");
    if (text == null) {
      item.putArray("summary");
    } else {
      item.putArray("summary").add(summaryPart(text));
    }
    return item;
  }

  static ObjectNode summaryPart(String text) {
    return NODES.objectNode().put("type", "summary_text").put("text", text);
  }

  /** An assistant {@code message} item; without content while {@code text} is {@code null}. */
  static ObjectNode messageItem(String id, String status, String text) {
    ObjectNode item = NODES.objectNode().put("id", id).put("type", "message").put("status", status)
        .put("role", "assistant");
    if (text == null) {
      item.putArray("content");
    } else {
      item.putArray("content").add(outputText(text));
    }
    return item;
  }

  static ObjectNode outputText(String text) {
    ObjectNode part = NODES.objectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    return part;
  }

  /**
   * A {@code function_call} item, or a {@code custom_tool_call} item when {@code name} is one of the
   * client's freeform tools (its text is the {@code input} argument the upstream was asked for).
   * {@code arguments} go out as given: {@link #arguments} normalises finished ones.
   */
  static ObjectNode toolCallItem(
      ResponsesContext context, int outputIndex, String callId, String name, String arguments, String status) {
    if (context.isCustomTool(name)) {
      return NODES.objectNode().put("id", context.itemId("ctc", outputIndex)).put("type", "custom_tool_call")
          .put("status", status).put("call_id", callId).put("name", name).put("input", customInput(arguments));
    }
    return NODES.objectNode().put("id", context.itemId("fc", outputIndex)).put("type", "function_call")
        .put("status", status).put("arguments", arguments).put("call_id", callId).put("name", name);
  }

  /** Arguments as the client may parse them: {@code {}} for none. */
  static String arguments(String arguments) {
    return arguments == null || arguments.isBlank() ? "{}" : arguments;
  }

  /**
   * The text of a freeform tool call from the function arguments {@code {"input": "..."}}; a model that
   * named its one string argument otherwise is forgiven, and anything else is passed on as it came.
   */
  static String customInput(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return "";
    }
    JsonNode parsed;
    try {
      parsed = JsonTrees.parse(arguments);
    } catch (JsonProcessingException e) {
      return arguments;
    }
    if (parsed != null && parsed.path("input").isTextual()) {
      return parsed.get("input").textValue();
    }
    if (parsed != null && parsed.isObject() && parsed.size() == 1) {
      Iterator<Map.Entry<String, JsonNode>> only = parsed.fields();
      JsonNode value = only.next().getValue();
      if (value.isTextual()) {
        return value.textValue();
      }
    }
    return arguments;
  }
}
