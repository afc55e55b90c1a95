package dev.llmproxy.it;

import java.nio.charset.StandardCharsets;

/**
 * The client dialects the soak speaks, each with its request and what ends its streams: the marker of a
 * complete answer and the marker of an answer that broke after it started. Immutable.
 */
enum SoakDialect {
  OPENAI_CHAT("data: [DONE]", "data: {\"error\""),
  ANTHROPIC("event: message_stop", "event: error"),
  RESPONSES("event: response.completed", "event: response.failed"),
  GEMINI_SSE("\"finishReason\"", "\"error\""),
  /** Gemini's stream without {@code alt=sse}: one JSON array, sent element by element. */
  GEMINI_ARRAY("\"finishReason\"", "\"error\"");

  private final String streamEnd;
  private final String streamFailure;

  SoakDialect(String streamEnd, String streamFailure) {
    this.streamEnd = streamEnd;
    this.streamFailure = streamFailure;
  }

  /** What a complete stream of this dialect contains. */
  String streamEnd() {
    return streamEnd;
  }

  /** What a stream of this dialect that broke after it started contains. */
  String streamFailure() {
    return streamFailure;
  }

  /** The whole HTTP/1.1 request (with {@code Connection: close}) asking {@code model} about {@code prompt}. */
  String request(String clientKey, String model, boolean stream, String prompt) {
    String path;
    String auth;
    String body;
    switch (this) {
      case OPENAI_CHAT -> {
        path = "/v1/chat/completions";
        auth = "Authorization: Bearer " + clientKey;
        body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
            + prompt + "\"}]}";
      }
      case ANTHROPIC -> {
        path = "/v1/messages";
        auth = "x-api-key: " + clientKey + "\r\nanthropic-version: 2023-06-01";
        body = "{\"model\":\"" + model + "\",\"max_tokens\":256,\"stream\":" + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
      }
      case RESPONSES -> {
        path = "/v1/responses";
        auth = "Authorization: Bearer " + clientKey;
        body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"input\":\"" + prompt + "\"}";
      }
      default -> {
        String method = !stream ? ":generateContent" : this == GEMINI_SSE ? ":streamGenerateContent?alt=sse"
            : ":streamGenerateContent";
        path = "/v1beta/models/" + model + method;
        auth = "x-goog-api-key: " + clientKey;
        body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + prompt + "\"}]}]}";
      }
    }
    int length = body.getBytes(StandardCharsets.UTF_8).length;
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n" + body;
  }
}
