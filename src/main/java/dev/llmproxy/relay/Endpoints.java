package dev.llmproxy.relay;

import dev.llmproxy.dialect.ClientDialect;
import dev.llmproxy.dialect.anthropic.AnthropicCountTokensDialect;
import dev.llmproxy.dialect.anthropic.AnthropicMessagesDialect;
import dev.llmproxy.dialect.openai.OpenAiDialect;
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
 * {@code /v1/messages} → Anthropic...). Paths are relative to the context path. Also writes the errors of
 * the filters in front of the data plane in the dialect of the URL they guard ({@link ClientErrorWriter}).
 * Immutable and thread-safe.
 */
public final class Endpoints implements ClientErrorWriter {
  private static final ClientDialect ANTHROPIC = new AnthropicMessagesDialect();
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
    m.put("/v1/responses", OpenAiDialect.RESPONSES);
    m.put("/v1/messages", ANTHROPIC);
    m.put("/v1/messages/count_tokens", new AnthropicCountTokensDialect());
    return new Endpoints(m);
  }

  /** A served URL (below the context path) and the dialect it speaks. Immutable. */
  public record Endpoint(String path, ClientDialect dialect) {}

  /** The endpoint of the request's URL, or {@code null} when no endpoint is there. */
  public Endpoint endpoint(HttpServletRequest request) {
    String path = normalize(pathOf(request));
    ClientDialect dialect = path == null ? null : byPath.get(path);
    return dialect == null ? null : new Endpoint(path, dialect);
  }

  /** The dialect of the request's URL, or {@code null} when no endpoint is there. */
  public ClientDialect find(HttpServletRequest request) {
    return find(pathOf(request));
  }

  /** The dialect of {@code path} (below the context path; a trailing slash is ignored), or {@code null}. */
  public ClientDialect find(String path) {
    String p = normalize(path);
    return p == null ? null : byPath.get(p);
  }

  private static String normalize(String path) {
    if (path == null) {
      return null;
    }
    return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
  }

  /** The paths served with POST, in order, for the startup log. */
  public List<String> postPaths() {
    return new ArrayList<>(order);
  }

  static String pathOf(HttpServletRequest request) {
    String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
    String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
    return servletPath + pathInfo;
  }

  @Override
  public void write(HttpServletRequest request, HttpServletResponse response, ClientError error) throws IOException {
    ClientDialect dialect = find(request);
    if (dialect == null && request.getHeader("anthropic-version") != null) {
      dialect = ANTHROPIC; // GET /v1/models from an Anthropic client
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
