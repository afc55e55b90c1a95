package dev.llmproxy.relay;

import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.ClientErrorWriter;
import dev.llmproxy.metrics.RelayMetrics;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes the errors the {@code /v1} filters answer before any exchange begins (a client key refused, unknown,
 * expired or disabled, a missing role) and counts each in {@code llmproxy_requests_total} by the status sent, so that
 * a surge of bad or expired keys shows. Requests for no endpoint (a mistyped path, the model lists) have no endpoint
 * to count under and are not counted. Stateless.
 */
public final class CountedRefusals implements ClientErrorWriter {
  private final Endpoints endpoints;
  private final RelayMetrics metrics;

  public CountedRefusals(Endpoints endpoints, RelayMetrics metrics) {
    this.endpoints = endpoints;
    this.metrics = metrics;
  }

  @Override
  public void write(HttpServletRequest request, HttpServletResponse response, ClientError error) throws IOException {
    // Counted before the answer leaves: a client (or a test) that reads the metrics once it has its answer sees it.
    Endpoints.Endpoint endpoint = endpoints.endpoint(request);
    if (endpoint != null) {
      metrics.requestFinished(endpoint.dialect().name(), endpoint.path(), RelayMetrics.NOT_ROUTED, error.status(), 0);
    }
    endpoints.write(request, response, error);
  }
}
