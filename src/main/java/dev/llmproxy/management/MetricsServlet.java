package dev.llmproxy.management;

import dev.llmproxy.config.MetricsConfig;
import dev.llmproxy.config.RemoteManagementConfig;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.SnapshotHolder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: every meter in the Prometheus text format. Who may read it, decided on each
 * scrape from the running config: a {@code Bearer} {@code metrics.token} (a scraper's token, from any
 * address; it opens nothing else), else management's own check (key, role, {@code allow-remote},
 * lockout) when management is on; 404 when neither is configured, as management itself answers.
 * Thread-safe.
 */
final class MetricsServlet extends HttpServlet {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final transient SnapshotHolder snapshots;
  private final transient ManagementAuthFilter management;
  private final transient Supplier<String> scrape;

  MetricsServlet(SnapshotHolder snapshots, ManagementAuthFilter management, Supplier<String> scrape) {
    this.snapshots = snapshots;
    this.management = management;
    this.scrape = scrape;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    GatewaySnapshot snapshot = snapshots.current();
    MetricsConfig metrics = snapshot == null ? MetricsConfig.DEFAULT : snapshot.config().metrics();
    RemoteManagementConfig config = snapshot == null ? null : snapshot.config().remoteManagement();
    boolean managed = config != null && config.enabled();
    if (!managed && !metrics.hasToken()) {
      response.setStatus(404);
      response.setContentLength(0);
      return;
    }
    String bearer = bearer(request);
    if (metrics.hasToken() && bearer != null && sameText(bearer, metrics.token())) {
      serve(response);
    } else if (managed) {
      if (management.admit(request, response, config)) {
        serve(response);
      }
    } else {
      ManagementAuthFilter.reject(response, 401, bearer == null ? "missing metrics token" : "invalid metrics token");
    }
  }

  private void serve(HttpServletResponse response) throws IOException {
    byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
    response.setStatus(200);
    response.setContentType(CONTENT_TYPE);
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static String bearer(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /** Constant time for equal lengths: the comparison does not tell a guesser how much of the token matched. */
  private static boolean sameText(String presented, String expected) {
    return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
