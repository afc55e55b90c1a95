package dev.llmproxy.relay;

import java.util.List;

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
