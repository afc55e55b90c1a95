package dev.llmproxy.auth;

import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.ClientErrorWriter;
import dev.llmproxy.error.OpenAiError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * How the {@code /v1} filters turn a request away: an error in the wire format of the endpoint the client
 * called, written whole; 401s also say how to authenticate. Stateless.
 */
final class Rejection {
  private final ClientErrorWriter errors;

  Rejection(ClientErrorWriter errors) {
    this.errors = errors;
  }

  void send(HttpServletRequest request, HttpServletResponse response, int status, OpenAiError error)
      throws IOException {
    if (status == 401) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    errors.write(request, response, new ClientError(status, error));
  }
}
