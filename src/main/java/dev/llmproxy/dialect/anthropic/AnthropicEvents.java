package dev.llmproxy.dialect.anthropic;

import java.nio.charset.StandardCharsets;

/**
 * The data of each Anthropic stream event, as UTF-8 JSON whose {@code type} equals the SSE event name.
 * Stateless; every call returns a new array (a sink may keep it).
 */
public final class AnthropicEvents {
  /** The keep-alive event's name. */
  public static final String PING = "ping";
  /** The keep-alive event's data. Never modify it. */
  public static final byte[] PING_JSON = "{\"type\":\"ping\"}".getBytes(StandardCharsets.US_ASCII);
  /**
   * The whole keep-alive frame, {@code event: ping} and its data, for a relay that writes keep-alives
   * itself: Anthropic's own keep-alive, which the SDKs skip. Never modify it.
   */
  public static final byte[] PING_FRAME =
      "event: ping\ndata: {\"type\":\"ping\"}\n\n".getBytes(StandardCharsets.US_ASCII);

  private AnthropicEvents() {}

  static byte[] messageStart(MessagesContext context) {
    return GeneratedJson.bytes(json -> {
      json.writeStartObject();
      json.writeStringField("type", "message_start");
      json.writeObjectFieldStart("message");
      json.writeStringField("id", context.messageId());
      json.writeStringField("type", "message");
      json.writeStringField("role", "assistant");
      json.writeStringField("model", context.clientModel());
      json.writeArrayFieldStart("content");
      json.writeEndArray();
      json.writeNullField("stop_reason");
      json.writeNullField("stop_sequence");
      json.writeObjectFieldStart("usage");
      new UsageCounts(context.inputTokens(), 0, 0).writeFields(json);
      json.writeEndObject();
      json.writeEndObject();
      json.writeEndObject();
    });
  }

  static byte[] textStart(int index) {
    return blockStart(index, "text", "text", null);
  }

  static byte[] thinkingStart(int index) {
    return blockStart(index, "thinking", "thinking", "signature");
  }

  static byte[] toolUseStart(int index, String id, String name) {
    return GeneratedJson.bytes(json -> {
      json.writeStartObject();
      json.writeStringField("type", "content_block_start");
      json.writeNumberField("index", index);
      json.writeObjectFieldStart("content_block");
      json.writeStringField("type", "tool_use");
      json.writeStringField("id", id);
      json.writeStringField("name", name);
      json.writeObjectFieldStart("input");
      json.writeEndObject();
      json.writeEndObject();
      json.writeEndObject();
    });
  }

  static byte[] textDelta(int index, String text) {
    return delta(index, "text_delta", "text", text);
  }

  static byte[] thinkingDelta(int index, String thinking) {
    return delta(index, "thinking_delta", "thinking", thinking);
  }

  static byte[] inputJsonDelta(int index, String partialJson) {
    return delta(index, "input_json_delta", "partial_json", partialJson);
  }

  static byte[] blockStop(int index) {
    return GeneratedJson.bytes(json -> {
      json.writeStartObject();
      json.writeStringField("type", "content_block_stop");
      json.writeNumberField("index", index);
      json.writeEndObject();
    });
  }

  static byte[] messageDelta(String stopReason, UsageCounts usage) {
    return GeneratedJson.bytes(json -> {
      json.writeStartObject();
      json.writeStringField("type", "message_delta");
      json.writeObjectFieldStart("delta");
      json.writeStringField("stop_reason", stopReason);
      json.writeNullField("stop_sequence");
      json.writeEndObject();
      json.writeObjectFieldStart("usage");
      usage.writeFields(json);
      json.writeEndObject();
      json.writeEndObject();
    });
  }

  static byte[] messageStop() {
    return "{\"type\":\"message_stop\"}".getBytes(StandardCharsets.US_ASCII);
  }

  /** The in-stream {@code error} event's data: the same envelope as an HTTP error body. */
  static byte[] error(int status, String message) {
    return AnthropicErrors.body(status, message);
  }

  /** A block start whose block has one empty text field (and, for thinking, an empty signature). */
  private static byte[] blockStart(int index, String type, String textField, String signatureField) {
    return GeneratedJson.bytes(json -> {
      json.writeStartObject();
      json.writeStringField("type", "content_block_start");
      json.writeNumberField("index", index);
      json.writeObjectFieldStart("content_block");
      json.writeStringField("type", type);
      json.writeStringField(textField, "");
      if (signatureField != null) {
        json.writeStringField(signatureField, "");
      }
      json.writeEndObject();
      json.writeEndObject();
    });
  }

  private static byte[] delta(int index, String type, String field, String value) {
    return GeneratedJson.bytes(json -> {
      json.writeStartObject();
      json.writeStringField("type", "content_block_delta");
      json.writeNumberField("index", index);
      json.writeObjectFieldStart("delta");
      json.writeStringField("type", type);
      json.writeStringField(field, value);
      json.writeEndObject();
      json.writeEndObject();
    });
  }
}
