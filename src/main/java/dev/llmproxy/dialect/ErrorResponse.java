package dev.llmproxy.dialect;

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
}
