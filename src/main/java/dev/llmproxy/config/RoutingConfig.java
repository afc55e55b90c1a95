package dev.llmproxy.config;

import java.time.Duration;

/**
 * {@code routing:} settings. Immutable. Defaults: strategy {@code round-robin}, pool strategy {@code round-robin},
 * no session affinity, bindings kept {@code 1h}.
 *
 * @param sessionAffinity {@code session-affinity}: a client session's requests go to the key and pool member that
 *     last answered it, while that one is available (providers cache prompts per account and per model)
 * @param sessionAffinityTtl {@code session-affinity-ttl}: how long a binding outlives the session's last request
 */
public record RoutingConfig(Strategy strategy, PoolStrategy poolStrategy, boolean sessionAffinity,
    Duration sessionAffinityTtl) {

  public static final Duration DEFAULT_SESSION_AFFINITY_TTL = Duration.ofHours(1);
  public static final RoutingConfig DEFAULT = new RoutingConfig(Strategy.ROUND_ROBIN, PoolStrategy.ROUND_ROBIN, false,
      DEFAULT_SESSION_AFFINITY_TTL);

  /** How a key is picked among a provider's healthy keys. */
  public enum Strategy { ROUND_ROBIN, WEIGHTED_ROUND_ROBIN, FILL_FIRST }

  /** How pool members are ordered for one request: rotated per request, or always in config order. */
  public enum PoolStrategy { ROUND_ROBIN, ORDERED }
}
