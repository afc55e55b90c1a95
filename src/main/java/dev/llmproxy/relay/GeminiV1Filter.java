package dev.llmproxy.relay;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Serves Gemini's calls under {@code /v1} too: Google's Java SDK asks for {@code /v1/models/{model}:generateContent}
 * unless told to use {@code v1beta}, and that path would otherwise reach the OpenAI model list (a 405). Such a
 * {@code POST} is forwarded to the same call under {@code /v1beta}; everything else goes on. Mapped to
 * {@code /v1/models/*} after the client-key filter, which has admitted the request already. Stateless.
 */
public final class GeminiV1Filter extends HttpFilter {

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String path = Endpoints.pathOf(request);
    if ("POST".equals(request.getMethod()) && path.startsWith("/v1/models/") && path.indexOf(':') > 0) {
      String query = request.getQueryString();
      String target = "/v1beta" + path.substring("/v1".length()) + (query == null ? "" : "?" + query);
      request.getRequestDispatcher(target).forward(request, response);
      return;
    }
    chain.doFilter(request, response);
  }
}
