package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.StreamedToolCalls;
import java.io.IOException;

/**
 * Turns a chat completion into an Anthropic Message (spec §3): {@code {id, type: "message", role, model,
 * content, stop_reason, stop_sequence: null, usage}} with the context's {@code msg_…} id and the model the
 * client asked for. Content comes in Anthropic's order: a {@code thinking} block from
 * {@code reasoning_content}/{@code reasoning} (with {@code signature: ""}, never an invented signature),
 * then the text (when not empty), then one {@code tool_use} per tool call with the id made Anthropic-valid
 * ({@link ToolIds}), the client's tool name ({@link ToolNames}) and the arguments as an object
 * ({@link ToolArguments}). {@link StopReason} and {@link UsageCounts} do the rest. Only the first choice
 * is read (Anthropic has no {@code n}); a completion without one is no answer at all, and is refused rather
 * than passed off as an empty {@code end_turn}, so the relay fails over or reports it. Stateless and
 * thread-safe.
 */
public final class MessagesResponseTranslator {
  private MessagesResponseTranslator() {}

  /**
   * The Message, UTF-8 JSON.
   *
   * @throws IllegalArgumentException when {@code completion} has no choice (no {@code choices}, or an empty
   *     one): the relay treats any exception here as a broken upstream answer
   */
  public static byte[] toMessage(JsonNode completion, MessagesContext context) {
    JsonNode choice = completion.path("choices").path(0);
    if (!choice.isObject()) {
      throw new IllegalArgumentException("the upstream completion has no choice");
    }
    JsonNode message = choice.path("message");
    JsonNode calls = message.path("tool_calls");
    boolean toolUse = calls.isArray() && !calls.isEmpty();
    String stopReason = StopReason.of(ChatFields.finishReason(choice), toolUse);
    UsageCounts usage = UsageCounts.from(completion.get("usage"), context.inputTokens());
    return GeneratedJson.bytes(json -> {
      json.writeStartObject();
      json.writeStringField("id", context.messageId());
      json.writeStringField("type", "message");
      json.writeStringField("role", "assistant");
      json.writeStringField("model", context.clientModel());
      json.writeArrayFieldStart("content");
      writeContent(json, message, context.toolNames());
      json.writeEndArray();
      json.writeStringField("stop_reason", stopReason);
      json.writeNullField("stop_sequence");
      json.writeObjectFieldStart("usage");
      usage.writeFields(json);
      json.writeEndObject();
      json.writeEndObject();
    });
  }

  private static void writeContent(JsonGenerator json, JsonNode message, ToolNames names) throws IOException {
    String thinking = ChatFields.reasoning(message);
    if (thinking != null) {
      json.writeStartObject();
      json.writeStringField("type", "thinking");
      json.writeStringField("thinking", thinking);
      json.writeStringField("signature", "");
      json.writeEndObject();
    }
    String text = ChatFields.content(message);
    if (text != null) {
      json.writeStartObject();
      json.writeStringField("type", "text");
      json.writeStringField("text", text);
      json.writeEndObject();
    }
    int position = 0;
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      String name = function.path("name").asText("");
      json.writeStartObject();
      json.writeStringField("type", "tool_use");
      json.writeStringField("id", ToolIds.toClient(call.path("id").asText("")));
      json.writeStringField("name", name.isEmpty() ? StreamedToolCalls.placeholderName(position) : names.original(name));
      json.writeFieldName("input");
      json.writeTree(ToolArguments.input(function.get("arguments")));
      json.writeEndObject();
      position++;
    }
  }
}
