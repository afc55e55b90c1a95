package dev.llmproxy.management;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.config.ClientKeyConfig;
import dev.llmproxy.config.LimitsConfig;
import dev.llmproxy.limits.ClientLimits;
import dev.llmproxy.limits.LimitUsage;
import dev.llmproxy.routing.OpenRequests;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code usage} part of {@code GET /v0/management/api-keys}: for each running client key with limits, its state
 * and, for each limit it has, the limit and what is used of it now ({@code max-parallel-requests}: the key's
 * requests open on this instance and, as far as it knows, on the others). Blocks on the shared state (briefly) and on seeding a
 * month from the usage store: management threads only. Thread-safe.
 */
final class ClientKeyUsage {
  private final ClientLimits limits;
  private final OpenRequests openRequests;
  private final Clock clock;

  ClientKeyUsage(ClientLimits limits, OpenRequests openRequests, Clock clock) {
    this.limits = limits;
    this.openRequests = openRequests;
    this.clock = clock;
  }

  /** One row per key of the running config that has limits (or expires, or is disabled), in file order. */
  List<Map<String, Object>> rows(List<ClientKeyConfig> keys) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ClientKeyConfig key : keys) {
      if (!key.limits().isEmpty()) {
        rows.add(row(key));
      }
    }
    return rows;
  }

  private Map<String, Object> row(ClientKeyConfig key) {
    LimitsConfig l = key.limits();
    ClientIdentity client = ClientIdentity.apiKey(key);
    Map<String, Object> row = new LinkedHashMap<>();
    if (!key.name().isEmpty()) {
      row.put("name", key.name());
    }
    row.put("client", client.toString());
    row.put("state", l.disabled() ? "disabled"
        : l.expires() != null && !clock.instant().isBefore(l.expires()) ? "expired" : "active");
    LimitUsage used = limits.usage(client);
    put(row, "rpm", l.rpm(), used.requestsThisMinute());
    put(row, "tpm", l.tpm(), used.tokensThisMinute());
    put(row, "max-tokens-per-month", l.maxTokensPerMonth(), used.tokensThisMonth());
    put(row, "max-cost-per-month", l.maxCostPerMonth(), used.costThisMonth());
    put(row, "max-parallel-requests", l.maxParallelRequests(), openRequests.openFor(client.limitId()));
    return row;
  }

  private static void put(Map<String, Object> row, String limit, Object value, Object used) {
    if (value != null) {
      Map<String, Object> pair = new LinkedHashMap<>();
      pair.put("limit", value);
      pair.put("used", used == null ? 0 : used);
      row.put(limit, pair);
    }
  }
}
