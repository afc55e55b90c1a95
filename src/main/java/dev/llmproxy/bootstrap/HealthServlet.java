package dev.llmproxy.bootstrap;

import dev.llmproxy.routing.SnapshotHolder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /healthz}: 200 {@code {"status":"ok"}} with a valid config, 503 without. No auth. */
final class HealthServlet extends HttpServlet {
  private final transient SnapshotHolder snapshots;

  HealthServlet(SnapshotHolder snapshots) {
    this.snapshots = snapshots;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    boolean ok = snapshots.current() != null;
    byte[] body = (ok ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\"}").getBytes(StandardCharsets.UTF_8);
    response.setStatus(ok ? 200 : 503);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
