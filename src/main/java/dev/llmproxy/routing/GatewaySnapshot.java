package dev.llmproxy.routing;

import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.config.ProviderConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One loaded config and the routing table built from it. Immutable; a request reads the current
 * snapshot once and uses it to its end, so a reload never changes a request half-way.
 *
 * @param discovered model ids the upstreams listed, as of this snapshot
 * @param loadedAtEpochSecond when it was loaded; the {@code created} time of listed models
 * @param copiedClientHeaders names of client headers providers copy with {@code $Name} values, {@code payload} rules
 *     ask about or name a client's session
 */
public record GatewaySnapshot(GatewayConfig config, DiscoveredModels discovered, RoutingTable table,
    long loadedAtEpochSecond, List<String> copiedClientHeaders) {
  public static GatewaySnapshot of(GatewayConfig config, DiscoveredModels discovered, long loadedAtEpochSecond) {
    return new GatewaySnapshot(config, discovered, RoutingTable.build(config, discovered), loadedAtEpochSecond,
        copiedClientHeaders(config));
  }

  public GatewaySnapshot {
    copiedClientHeaders = List.copyOf(copiedClientHeaders);
  }

  /**
   * Client headers some provider copies with {@code $Name}, some {@code payload} rule asks about, or that name a
   * client's session for {@code routing.session-affinity}: found once here, not on every request.
   */
  private static List<String> copiedClientHeaders(GatewayConfig config) {
    Set<String> names = new LinkedHashSet<>();
    for (ProviderConfig provider : config.providers()) {
      for (String value : provider.headers().values()) {
        if (value.startsWith("$") && value.length() > 1) {
          names.add(value.substring(1));
        }
      }
    }
    names.addAll(config.payload().headerNames());
    if (config.routing().sessionAffinity()) {
      names.addAll(ClientSession.HEADERS);
    }
    return List.copyOf(names);
  }
}
