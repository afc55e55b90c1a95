package dev.llmproxy.dialect;

import dev.llmproxy.error.ClientError;
import java.util.Map;

/**
 * An error response in a client's wire format, ready to send. Immutable.
 *
 * @param headers extra response headers ({@code Retry-After}, ...), in order
 */
public record ErrorResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
  public ErrorResponse {
    headers = Map.copyOf(headers);
  }

  /** {@code error} as the JSON {@code body} a dialect wrote for it, with its status and its {@code Retry-After}. */
  public static ErrorResponse json(ClientError error, byte[] body) {
    String retryAfter = error.retryAfterSeconds();
    return new ErrorResponse(error.status(), "application/json", body,
        retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter));
  }
}
