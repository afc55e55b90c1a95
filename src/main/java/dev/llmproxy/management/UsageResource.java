package dev.llmproxy.management;

import dev.llmproxy.usage.UsageLedger;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v0/management/usage}: per client (a masked key, a signed-in user, or anonymous) and model
 * id, the requests since the gateway started, how they ended, and the tokens the upstreams reported
 * (streams report them only when the client asks with {@code stream_options.include_usage}). Requests
 * for model ids no provider serves count under {@code (not routed)}. In memory. {@code DELETE} starts
 * counting again (for a billing period) and answers {@code {"status":"ok"}}.
 */
@Path("usage")
@Produces(MediaType.APPLICATION_JSON)
public final class UsageResource {
  private final UsageLedger ledger;

  UsageResource(UsageLedger ledger) {
    this.ledger = ledger;
  }

  @GET
  public Map<String, Object> get() {
    Map<String, List<Object>> byClient = new LinkedHashMap<>();
    for (UsageLedger.Row row : ledger.snapshot()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", row.model());
      m.put("requests", row.requests());
      m.put("succeeded", row.succeeded());
      m.put("failed", row.failed());
      m.put("cancelled", row.cancelled());
      m.put("prompt-tokens", row.promptTokens());
      m.put("completion-tokens", row.completionTokens());
      m.put("total-tokens", row.totalTokens());
      byClient.computeIfAbsent(row.client(), c -> new ArrayList<>()).add(m);
    }
    List<Object> clients = new ArrayList<>();
    byClient.forEach((client, models) -> {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("client", client);
      c.put("models", models);
      clients.add(c);
    });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("since", ledger.since().toString());
    body.put("clients", clients);
    return body;
  }

  @DELETE
  public Map<String, Object> reset() {
    ledger.reset();
    return Ok.BODY;
  }
}
