package dev.llmproxy.config;

/**
 * {@code routing:} settings. Immutable. Defaults: strategy {@code round-robin}, pool strategy
 * {@code round-robin}.
 */
public record RoutingConfig(Strategy strategy, PoolStrategy poolStrategy) {

  public static final RoutingConfig DEFAULT = new RoutingConfig(Strategy.ROUND_ROBIN, PoolStrategy.ROUND_ROBIN);

  /** How a key is picked among a provider's healthy keys. */
  public enum Strategy { ROUND_ROBIN, WEIGHTED_ROUND_ROBIN, FILL_FIRST }

  /** How pool members are ordered for one request: rotated per request, or always in config order. */
  public enum PoolStrategy { ROUND_ROBIN, ORDERED }
}
