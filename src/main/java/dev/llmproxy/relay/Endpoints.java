package dev.llmproxy.relay;

import dev.llmproxy.auth.QueryParameters;
import dev.llmproxy.dialect.ClientDialect;
import dev.llmproxy.dialect.anthropic.AnthropicCountTokensDialect;
import dev.llmproxy.dialect.anthropic.AnthropicMessagesDialect;
import dev.llmproxy.dialect.gemini.GeminiDialect;
import dev.llmproxy.dialect.openai.OpenAiDialect;
import dev.llmproxy.dialect.responses.ResponsesDialect;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.ClientErrorWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data plane's URLs and the client dialect each one speaks ({@code /v1/chat/completions} → OpenAI,
 * {@code /v1/messages} → Anthropic, {@code /v1/responses} → Responses, {@code /v1beta/models/{m}:...} →
 * Gemini). Paths are relative to the context path. Also writes the errors of the filters in front of the
 * data plane in the dialect of the URL they guard ({@link ClientErrorWriter}). Immutable and thread-safe.
 */
public final class Endpoints implements ClientErrorWriter {
  private static final ClientDialect ANTHROPIC = new AnthropicMessagesDialect();
  /** Words errors for Gemini URLs that are no call (the model list, unknown paths). */
  private static final ClientDialect GEMINI_ERRORS = new GeminiDialect("", GeminiDialect.Method.GENERATE, false);
  private final Map<String, ClientDialect> byPath;

  private Endpoints(Map<String, ClientDialect> byPath) {
    this.byPath = Map.copyOf(byPath);
    this.order = List.copyOf(byPath.keySet());
  }

  private final List<String> order;

  /** Every endpoint the gateway serves. */
  public static Endpoints standard() {
    Map<String, ClientDialect> m = new LinkedHashMap<>();
    m.put("/v1/chat/completions", OpenAiDialect.CHAT);
    m.put("/v1/completions", OpenAiDialect.COMPLETIONS);
    m.put("/v1/embeddings", OpenAiDialect.EMBEDDINGS);
    m.put("/v1/responses", new ResponsesDialect());
    m.put("/v1/messages", ANTHROPIC);
    m.put("/v1/messages/count_tokens", new AnthropicCountTokensDialect());
    return new Endpoints(m);
  }

  /** A served URL (below the context path) and the dialect it speaks. Immutable. */
  public record Endpoint(String path, ClientDialect dialect) {}

  /**
   * The endpoint of the request's URL, or {@code null} when no endpoint is there. Gemini's URLs name the model
   * and the method, so each gets a dialect of its own; metrics name them by their template.
   */
  public Endpoint endpoint(HttpServletRequest request) {
    String path = normalize(pathOf(request));
    ClientDialect dialect = path == null ? null : byPath.get(path);
    if (dialect != null) {
      return new Endpoint(path, dialect);
    }
    GeminiPaths.Call gemini = GeminiPaths.call(path);
    if (gemini != null) {
      return new Endpoint(gemini.endpointLabel(), new GeminiDialect(gemini.model(), gemini.method(),
          "sse".equals(QueryParameters.first(request.getQueryString(), "alt"))));
    }
    return null;
  }

  /** The dialect of the request's URL (Gemini's model list included, for its errors), or {@code null}. */
  public ClientDialect find(HttpServletRequest request) {
    Endpoint endpoint = endpoint(request);
    if (endpoint != null) {
      return endpoint.dialect();
    }
    return isGemini(request) ? GEMINI_ERRORS : null;
  }

  /** Whether the request is for Gemini's API ({@code /v1beta/...}), whose errors use Google's envelope. */
  static boolean isGemini(HttpServletRequest request) {
    String path = pathOf(request);
    return path.equals("/v1beta") || path.startsWith("/v1beta/");
  }

  private static boolean isBelowMessages(HttpServletRequest request) {
    return pathOf(request).startsWith("/v1/messages/");
  }

  private static String normalize(String path) {
    if (path == null) {
      return null;
    }
    return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
  }

  /** The paths served with POST, in order, for the startup log. */
  public List<String> postPaths() {
    List<String> all = new ArrayList<>(order);
    for (String verb : List.of("generateContent", "streamGenerateContent", "countTokens")) {
      all.add(GeminiPaths.MODELS + "/{model}:" + verb);
    }
    return all;
  }

  static String pathOf(HttpServletRequest request) {
    String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
    String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
    return servletPath + pathInfo;
  }

  @Override
  public void write(HttpServletRequest request, HttpServletResponse response, ClientError error) throws IOException {
    ClientDialect dialect = find(request);
    if (dialect == null && (request.getHeader("anthropic-version") != null || isBelowMessages(request))) {
      dialect = ANTHROPIC; // GET /v1/models from an Anthropic client, or a path below /v1/messages it mistyped
    }
    if (dialect == null) {
      ClientErrorWriter.OPENAI.write(request, response, error);
      return;
    }
    var rendered = dialect.error(error);
    response.setStatus(rendered.status());
    response.setContentType(rendered.contentType());
    rendered.headers().forEach(response::setHeader);
    response.setContentLength(rendered.body().length);
    response.getOutputStream().write(rendered.body());
  }
}
