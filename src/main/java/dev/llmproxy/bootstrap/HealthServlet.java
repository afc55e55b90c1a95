package dev.llmproxy.bootstrap;

import dev.llmproxy.routing.SnapshotHolder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: 200 {@code {"status":"ok","state":...}} with a valid config, 503 without. {@code state} says
 * where shared state lives: {@code memory}, {@code redis}, or {@code degraded} while Redis does not answer (the
 * instance serves on with its own view, so the status stays 200). No auth.
 */
final class HealthServlet extends HttpServlet {
  private final transient SnapshotHolder snapshots;
  private final transient Supplier<String> state;

  HealthServlet(SnapshotHolder snapshots, Supplier<String> state) {
    this.snapshots = snapshots;
    this.state = state;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    boolean ok = snapshots.current() != null;
    byte[] body = ("{\"status\":\"" + (ok ? "ok" : "unavailable") + "\",\"state\":\"" + state.get() + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    response.setStatus(ok ? 200 : 503);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
