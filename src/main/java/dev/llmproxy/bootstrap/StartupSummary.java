package dev.llmproxy.bootstrap;

import dev.llmproxy.config.ApiKeyEntry;
import dev.llmproxy.config.ClientAuthConfig;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.config.ModelMapping;
import dev.llmproxy.config.OutboundProxy;
import dev.llmproxy.config.ProviderConfig;
import dev.llmproxy.config.RemoteManagementConfig;
import dev.llmproxy.config.Secrets;
import dev.llmproxy.routing.ExcludedModels;
import dev.llmproxy.routing.RoutingTable;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one-screen text logged after each successful load: who may call, providers with masked keys and
 * their outbound route, model aliases, and the distinct outbound proxies. Never prints a secret. Stateless.
 */
final class StartupSummary {
  /** Beyond this many models per provider the summary says "... and N more" to stay on one screen. */
  static final int MODELS_SHOWN_PER_PROVIDER = 8;

  private StartupSummary() {}

  static String of(Path file, GatewayConfig config, RoutingTable table) {
    StringBuilder sb = new StringBuilder("Configuration loaded from ").append(file).append(": ")
        .append(config.providers().size()).append(" provider(s), ")
        .append(table.routes().size()).append(" model id(s)")
        .append("\n  clients: ").append(clientAccess(config))
        .append("\n  management: ").append(management(config.remoteManagement()));
    Set<OutboundProxy> proxies = new LinkedHashSet<>();
    for (ProviderConfig p : config.providers()) {
      sb.append("\n  provider ").append(p.name()).append(p.disabled() ? " (disabled)" : "")
          .append(p.hasPrefix() ? " prefix=" + p.prefix() : "").append(" ").append(p.baseUrl());
      for (ApiKeyEntry entry : p.apiKeyEntries()) {
        OutboundProxy proxy = config.effectiveProxy(entry);
        proxies.add(proxy);
        sb.append("\n    key ").append(Secrets.mask(entry.apiKey())).append(" via ").append(proxy);
      }
      int shown = 0;
      for (ModelMapping m : p.models()) {
        if (shown++ == MODELS_SHOWN_PER_PROVIDER) {
          sb.append("\n    ... and ").append(p.models().size() - MODELS_SHOWN_PER_PROVIDER).append(" more model(s)");
          break;
        }
        sb.append("\n    model ").append(m.alias()).append(" -> ").append(m.name());
        if (ExcludedModels.matchesAny(p.excludedModels(), m.alias())
            || ExcludedModels.matchesAny(p.excludedModels(), m.name())) {
          sb.append(" (excluded: not routed, not listed)");
        }
      }
    }
    sb.append("\n  outbound routes: ").append(proxies.isEmpty() ? "none" : proxies.toString());
    return sb.toString();
  }

  private static String clientAccess(GatewayConfig config) {
    ClientAuthConfig auth = config.clientAuth();
    long limited = config.apiKeys().stream().filter(k -> !k.limits().isEmpty()).count();
    String keys = config.apiKeys().isEmpty() ? "no api-keys" : config.apiKeys().size() + " api-key(s)"
        + (limited == 0 ? "" : " (" + limited + " with limits)");
    String users = "users signed in by the container"
        + (auth.role().isEmpty() ? "" : " in role '" + auth.role() + "'");
    return switch (auth.mode()) {
      case API_KEY -> config.apiKeys().isEmpty() ? "OPEN (no api-keys)" : keys;
      case CONTAINER -> users;
      case BOTH -> users + ", or " + keys;
    };
  }

  private static String management(RemoteManagementConfig m) {
    if (!m.enabled()) {
      return "off (no secret-key)";
    }
    String key = "key" + (m.allowRemote() ? "" : " from loopback only");
    String role = "users in role '" + m.role() + "'";
    return switch (m.auth()) {
      case KEY -> key;
      case CONTAINER -> role;
      case KEY_OR_CONTAINER -> m.secretKey().isEmpty() ? role : role + ", or " + key;
      case KEY_AND_CONTAINER -> role + " who also send the " + key;
    };
  }
}
