package dev.llmproxy.auth;

import dev.llmproxy.config.CorsConfig;
import dev.llmproxy.error.ClientErrorWriter;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.SnapshotHolder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;

/**
 * Lets the web origins of {@code cors.allowed-origins} call {@code /v1/*} from a browser: a preflight
 * from such an origin is answered here (204, before any key check, as browsers send no credentials
 * with it); every other request from it gets {@code Access-Control-Allow-Origin} before the key check
 * runs, so a browser app can read a 401 or 429 too, and may read {@code Retry-After}.
 *
 * <p>A POST that a page of any other origin sends is refused (403) before it reaches the key check or
 * an upstream: browsers send such "simple" requests without asking first and merely hide the answer,
 * so without this a page could spend the upstream credit of a gateway without client keys, or of one
 * that trusts a single sign-on cookie. Requests without an {@code Origin} (SDKs, curl, servers) and from
 * the gateway's own origin ({@code Origin} naming the {@code Host} it was called at) pass untouched, as
 * do reads and preflights. Runs before {@link ApiKeyFilter}; never wraps the request or response.
 */
public final class CorsFilter extends HttpFilter {
  private static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
  /** Headers a browser app may send; what a preflight asks for is echoed only if it is a plain header list. */
  private static final String DEFAULT_HEADERS = "Authorization, Content-Type, X-Api-Key, X-Goog-Api-Key";
  private static final String PREFLIGHT_MAX_AGE_SECONDS = "600";

  private final transient SnapshotHolder snapshots;
  private final transient Rejection rejection;

  public CorsFilter(SnapshotHolder snapshots, ClientErrorWriter errors) {
    this.snapshots = snapshots;
    this.rejection = new Rejection(errors);
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String origin = request.getHeader("Origin");
    GatewaySnapshot snapshot = snapshots.current();
    CorsConfig cors = snapshot == null ? CorsConfig.NONE : snapshot.config().cors();
    if (!cors.allows(origin)) {
      if (origin != null && "POST".equals(request.getMethod()) && !isSameOrigin(origin, request)) {
        rejection.send(request, response, 403, OpenAiError.originNotAllowed(origin));
        return;
      }
      chain.doFilter(request, response);
      return;
    }
    response.setHeader("Access-Control-Allow-Origin", cors.allowsAnyOrigin() ? "*" : origin);
    if (!cors.allowsAnyOrigin()) {
      response.addHeader("Vary", "Origin");
    }
    if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
      response.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
      response.setHeader("Access-Control-Allow-Headers", requestedHeaders(request));
      response.setHeader("Access-Control-Max-Age", PREFLIGHT_MAX_AGE_SECONDS);
      response.setStatus(HttpServletResponse.SC_NO_CONTENT);
      return;
    }
    response.setHeader("Access-Control-Expose-Headers", "Retry-After");
    chain.doFilter(request, response);
  }

  /** Whether {@code origin} is where the request was sent: same scheme, host and port. */
  static boolean isSameOrigin(String origin, HttpServletRequest request) {
    try {
      URI o = URI.create(origin);
      if (o.getHost() == null) {
        return false;
      }
      int port = o.getPort() != -1 ? o.getPort() : "https".equalsIgnoreCase(o.getScheme()) ? 443 : 80;
      return o.getScheme().equalsIgnoreCase(request.getScheme())
          && o.getHost().equalsIgnoreCase(request.getServerName()) && port == request.getServerPort();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String requestedHeaders(HttpServletRequest request) {
    String asked = request.getHeader("Access-Control-Request-Headers");
    return asked != null && asked.matches("[A-Za-z0-9-]+(\\s*,\\s*[A-Za-z0-9-]+)*") ? asked : DEFAULT_HEADERS;
  }
}
