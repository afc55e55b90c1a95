package dev.llmproxy.webadmin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Puts the browser security headers on every response under {@code /admin/} (the static admin page):
 * a Content-Security-Policy that allows only this origin's own files and calls (no inline script or
 * style, no framing, no plugins), {@code nosniff}, no referrer, and no caching of the HTML, so a
 * redeployed page is never served from a stale copy that calls an API it no longer matches. Scripts and
 * styles may be cached but are revalidated. The page holds no secret itself; the management API guards
 * every call it makes. Stateless, thread-safe.
 */
public final class AdminPageFilter extends HttpFilter {
  public static final String MAPPING = "/admin/*";

  /**
   * {@code 'self'} for everything the page loads or calls; {@code form-action 'none'} because every form
   * is handled by script, and {@code base-uri 'none'} so injected markup cannot move relative URLs.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    response.setHeader("Cache-Control", isPage(request.getRequestURI()) ? "no-store" : "no-cache");
    chain.doFilter(request, response);
  }

  /** The HTML: the directory itself (its welcome file) or an {@code .html} file. */
  static boolean isPage(String uri) {
    return uri.endsWith("/") || uri.endsWith("/admin") || uri.endsWith(".html");
  }
}
