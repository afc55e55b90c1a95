package dev.llmproxy.routing;

import dev.llmproxy.config.GatewayConfig;

/**
 * One loaded config and the routing table built from it. Immutable; a request reads the current
 * snapshot once and uses it to its end, so a reload never changes a request half-way.
 *
 * @param discovered model ids the upstreams listed, as of this snapshot
 * @param loadedAtEpochSecond when it was loaded; the {@code created} time of listed models
 */
public record GatewaySnapshot(GatewayConfig config, DiscoveredModels discovered, RoutingTable table,
    long loadedAtEpochSecond) {
  public static GatewaySnapshot of(GatewayConfig config, DiscoveredModels discovered, long loadedAtEpochSecond) {
    return new GatewaySnapshot(config, discovered, RoutingTable.build(config, discovered), loadedAtEpochSecond);
  }
}
