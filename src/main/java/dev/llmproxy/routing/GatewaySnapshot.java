package dev.llmproxy.routing;

import dev.llmproxy.config.GatewayConfig;

/**
 * One loaded config and the routing table built from it. Immutable; a request reads the current
 * snapshot once and uses it to its end, so a reload never changes a request half-way.
 *
 * @param loadedAtEpochSecond when it was loaded; the {@code created} time of listed models
 */
public record GatewaySnapshot(GatewayConfig config, RoutingTable table, long loadedAtEpochSecond) {
  public static GatewaySnapshot of(GatewayConfig config, long loadedAtEpochSecond) {
    return new GatewaySnapshot(config, RoutingTable.build(config), loadedAtEpochSecond);
  }
}
