package dev.llmproxy.management;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.error.WebappJson;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The flat error body of every management response, as CLIProxyAPI's control panels and scripts read
 * it: {@code {"error":"invalid management key"}}, or with detail {@code {"error":"invalid_config",
 * "message":"...","problems":["openai-compatibility[0].base-url: is required"]}}. Management
 * deliberately does not use the data plane's OpenAI error shape. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ManagementErrorBody(String error, String message, List<String> problems) {
  /** Parses management request bodies too; on the container's threads, so without thread-local buffers. */
  static final ObjectMapper JSON = WebappJson.newMapper();

  static ManagementErrorBody of(ManagementException e) {
    return new ManagementErrorBody(e.error(), e.detail(), e.problems());
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes this body with {@code status} from servlet code (the auth filter). */
  void write(HttpServletResponse response, int status) throws IOException {
    byte[] body = toJson();
    response.setStatus(status);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
