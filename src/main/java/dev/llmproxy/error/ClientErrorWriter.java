package dev.llmproxy.error;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes an error to a client, whole and at once, in the wire format of the endpoint it called: an OpenAI
 * client gets {@code {"error":{...}}}, an Anthropic client Anthropic's envelope, a Gemini client Google's.
 * For the filters in front of the data plane, which turn requests away before any dialect code runs.
 * Implementations are stateless.
 */
public interface ClientErrorWriter {

  void write(HttpServletRequest request, HttpServletResponse response, ClientError error) throws IOException;

  /** Always the OpenAI shape; for tests and for paths no dialect serves. */
  ClientErrorWriter OPENAI = (request, response, error) -> {
    byte[] body = ErrorResponses.toJson(error.error());
    response.setStatus(error.status());
    response.setContentType("application/json");
    if (error.retryAfterSeconds() != null) {
      response.setHeader("Retry-After", error.retryAfterSeconds());
    }
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  };
}
