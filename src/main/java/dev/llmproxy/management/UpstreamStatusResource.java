package dev.llmproxy.management;

import dev.llmproxy.config.ProviderConfig;
import dev.llmproxy.routing.Cooldowns;
import dev.llmproxy.routing.Credential;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.OpenRequests;
import dev.llmproxy.routing.RoutingState;
import dev.llmproxy.routing.SnapshotHolder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code GET /v0/management/upstream-status}: which upstream keys are resting right now and why, for
 * the operator who wonders why requests go to the fallback or end in 429 {@code model_cooldown}. Per
 * provider of the running config, each key (masked) with the proxy it leaves through, the key-wide
 * cooldown ({@code null} when none) and the cooldowns of single models on it, each with its end, the
 * seconds left and the reason (the failure's kind and status). Read-only; the state survives reloads for
 * keys that did not change, and with {@code state.store: redis} holds the windows every instance opened. Also
 * when this instance was full: its open requests against {@code max-open-requests} with the refusals
 * beyond it ({@code open-requests}), and the refusals of each provider's full pool ({@code gateway-busy}). And how
 * many client sessions this instance holds bound to a key ({@code session-bindings}, {@code routing.session-affinity};
 * with Redis, those the other instances bound too).
 */
@Path("upstream-status")
@Produces(MediaType.APPLICATION_JSON)
public final class UpstreamStatusResource {
  private final SnapshotHolder snapshots;
  private final RoutingState routing;

  UpstreamStatusResource(SnapshotHolder snapshots, RoutingState routing) {
    this.snapshots = snapshots;
    this.routing = routing;
  }

  @GET
  public Map<String, Object> get() {
    GatewaySnapshot snapshot = snapshots.current();
    Cooldowns cooldowns = routing.cooldowns();
    Instant now = cooldowns.now();
    Map<String, List<Cooldowns.Active>> byKey = cooldowns.activeWindows().stream()
        .collect(Collectors.groupingBy(Cooldowns.Active::credentialId));
    List<Object> providers = new ArrayList<>();
    if (snapshot != null) {
      for (ProviderConfig provider : snapshot.config().providers()) {
        List<Object> keys = new ArrayList<>();
        for (Credential key : snapshot.table().credentials(provider)) {
          keys.add(key(key, byKey.getOrDefault(key.id(), List.of()), now));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", provider.name());
        p.put("disabled", provider.disabled());
        p.put("keys", keys);
        providers.add(p);
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("now", now.toString());
    body.put("providers", providers);
    OpenRequests.Status open = routing.openRequests().status();
    Map<String, Object> openRequests = new LinkedHashMap<>();
    openRequests.put("open", open.open());
    openRequests.put("limit", snapshot == null ? null : snapshot.config().maxOpenRequests());
    openRequests.put("refused", open.refused());
    openRequests.put("last-refused", open.lastRefused() == null ? null : open.lastRefused().toString());
    body.put("open-requests", openRequests);
    body.put("gateway-busy", routing.saturation().snapshot().stream().map(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("provider", r.provider());
      m.put("refused", r.refused());
      m.put("last", r.last().toString());
      return m;
    }).toList());
    body.put("session-bindings", routing.sessions().size());
    return body;
  }

  private static Map<String, Object> key(Credential key, List<Cooldowns.Active> windows, Instant now) {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("key", key.maskedKey());
    k.put("proxy", key.proxy().toString());
    k.put("cooling", windows.stream().filter(w -> w.model() == null).findFirst().map(w -> window(w, now))
        .orElse(null));
    List<Object> models = new ArrayList<>();
    for (Cooldowns.Active w : windows) {
      if (w.model() != null) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", w.model());
        m.putAll(window(w, now));
        models.add(m);
      }
    }
    k.put("models", models);
    return k;
  }

  private static Map<String, Object> window(Cooldowns.Active w, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("until", w.until().toString());
    m.put("seconds-left", Math.max(1, (Duration.between(now, w.until()).toMillis() + 999) / 1000));
    m.put("reason", w.reason());
    return m;
  }
}
