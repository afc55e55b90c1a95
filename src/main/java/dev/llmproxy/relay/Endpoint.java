package dev.llmproxy.relay;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A data-plane endpoint the gateway relays: the client path under {@code /v1}, the path appended to
 * a provider's {@code base-url}, and whether a clean stream must end with {@code data: [DONE]}.
 * Immutable.
 */
public record Endpoint(String path, String upstreamPath, boolean streamEndsWithDone) {

  public static final List<Endpoint> ALL = List.of(
      new Endpoint("/chat/completions", "/chat/completions", true),
      new Endpoint("/completions", "/completions", true),
      new Endpoint("/embeddings", "/embeddings", true),
      new Endpoint("/responses", "/responses", false));

  private static final Map<String, String> CLIENT_PATHS = ALL.stream()
      .collect(Collectors.toUnmodifiableMap(Endpoint::path, e -> "/v1" + e.path()));

  /** The path clients call, with its {@code /v1}: how metrics and usage records name the endpoint. */
  public String clientPath() {
    return CLIENT_PATHS.get(path);
  }

  /** The endpoint for a path below {@code /v1}, or {@code null}. */
  public static Endpoint find(String pathInfo) {
    if (pathInfo == null) {
      return null;
    }
    String path = pathInfo.endsWith("/") && pathInfo.length() > 1 ? pathInfo.substring(0, pathInfo.length() - 1) : pathInfo;
    for (Endpoint e : ALL) {
      if (e.path.equals(path)) {
        return e;
      }
    }
    return null;
  }
}
