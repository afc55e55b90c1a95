package dev.llmproxy.auth;

import dev.llmproxy.error.ErrorResponses;
import dev.llmproxy.error.OpenAiError;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** How the {@code /v1} filters turn a request away: an OpenAI-shaped error, written whole. Stateless. */
final class Rejection {
  private Rejection() {}

  static void send(HttpServletResponse response, int status, OpenAiError error) throws IOException {
    byte[] body = ErrorResponses.toJson(error);
    response.setStatus(status);
    if (status == 401) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
