package dev.llmproxy.config;

import java.time.Duration;

/**
 * {@code state:} where the state that several gateway instances share lives (cooldowns, live usage, management
 * lockouts, client-key counters). Immutable. Read when the gateway starts: a reload that changes it is
 * reported and applies at the next start, because live requests hold on to the store.
 *
 * @param store {@code memory} (default: this process only) or {@code redis}
 * @param redis where Redis is; {@code null} unless {@code store} is redis
 * @param keyPrefix put before every Redis key and channel name (default {@value #DEFAULT_KEY_PREFIX}), so several
 *     gateway fleets can share one Redis
 * @param redisTimeout the longest a Redis command may take before Redis counts as down (default 100ms)
 * @param redisTrustStore the certificates a {@code rediss://} server must chain to instead of the JVM's default CAs;
 *     {@code null} for the default
 */
public record StateConfig(Store store, RedisUrl redis, String keyPrefix, Duration redisTimeout,
    UpstreamTrustStore redisTrustStore) {

  public static final String DEFAULT_KEY_PREFIX = "llmproxy:";
  public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(100);
  public static final StateConfig DEFAULT = new StateConfig(Store.MEMORY, null, DEFAULT_KEY_PREFIX,
      DEFAULT_REDIS_TIMEOUT, null);

  /** {@code state.store}. */
  public enum Store {
    /** State lives in this process; instances behind a load balancer do not see each other's. */
    MEMORY,
    /** State is shared through Redis, with a local view so that requests never wait on it. */
    REDIS
  }
}
