package dev.llmproxy.dialect.anthropic;

/**
 * Anthropic's error envelope, {@code {"type":"error","error":{"type","message"}}}, for HTTP error bodies and
 * the in-stream {@code error} event. The type always comes from the status (spec §5), never from an
 * upstream's own {@code type}: upstreams speak OpenAI ({@code server_error}, or {@code invalid_request_error}
 * with a 500), and Anthropic clients only know Anthropic's types. Stateless.
 */
public final class AnthropicErrors {
  private AnthropicErrors() {}

  /**
   * The {@code error.type} for {@code status}: 400 {@code invalid_request_error}, 401
   * {@code authentication_error}, 402 {@code billing_error}, 403 {@code permission_error}, 404
   * {@code not_found_error}, 413 {@code request_too_large}, 429 {@code rate_limit_error}, 503 and 529
   * {@code overloaded_error}; any other 4xx {@code invalid_request_error}, any other status (500, 502, 504)
   * {@code api_error}, as the gateway's contract says (DESIGN §6).
   */
  public static String type(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
    };
  }

  /** The error body for {@code status}, UTF-8 JSON; {@code message} must hold no secret. */
  public static byte[] body(int status, String message) {
    return GeneratedJson.bytes(json -> {
      json.writeStartObject();
      json.writeStringField("type", "error");
      json.writeObjectFieldStart("error");
      json.writeStringField("type", type(status));
      json.writeStringField("message", message == null ? "" : message);
      json.writeEndObject();
      json.writeEndObject();
    });
  }
}
