package dev.llmproxy.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.auth.ClientAddressPolicy;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.routing.SnapshotHolder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: 200 {@code {"status":"ok","state":...}} with a valid config, 503
 * {@code {"status":"unavailable"}} without. {@code state} says where shared state lives: {@code memory},
 * {@code redis}, or {@code degraded} while Redis does not answer (the instance serves on with its own view, so the
 * status stays 200). {@code usage} says where usage records go: {@code database}, {@code failing} (the database
 * refuses them or does not answer: they wait, and monthly budgets cannot be restored from them) or {@code memory}
 * (lost at restart); the status stays 200 for these too, the gateway serving on. No auth. Why there is no config (the file's path and every problem in it) is added as
 * {@code "problem"} only for a request from the gateway's own host that no proxy forwarded (a loopback peer naming no
 * client, as {@link ClientAddressPolicy} reads it): the operator's {@code curl}, not whoever reaches the port, perhaps
 * through a reverse proxy on the same host.
 */
final class HealthServlet extends HttpServlet {
  private static final ObjectMapper JSON = WebappJson.newMapper();

  private final transient SnapshotHolder snapshots;
  private final transient Supplier<String> state;
  private final transient Supplier<String> usage;

  HealthServlet(SnapshotHolder snapshots, Supplier<String> state, Supplier<String> usage) {
    this.snapshots = snapshots;
    this.state = state;
    this.usage = usage;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    boolean ok = snapshots.current() != null;
    Map<String, String> status = new LinkedHashMap<>();
    status.put("status", ok ? "ok" : "unavailable");
    status.put("state", state.get());
    status.put("usage", usage.get());
    String problem = snapshots.problem();
    if (!ok && problem != null && isLocalOperator(request)) {
      status.put("problem", problem);
    }
    byte[] body = JSON.writeValueAsBytes(status);
    response.setStatus(ok ? 200 : 503);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  static boolean isLocalOperator(HttpServletRequest request) {
    // No trusted proxy here: a loopback peer naming a client (a proxy on this host) is not the operator.
    return ClientAddressPolicy.isLoopback(ClientAddressPolicy.clientAddress(request, List.of()));
  }
}
