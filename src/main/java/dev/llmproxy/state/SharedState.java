package dev.llmproxy.state;

import dev.llmproxy.config.StateConfig;
import dev.llmproxy.management.InMemoryLoginFailures;
import dev.llmproxy.management.LoginFailures;
import dev.llmproxy.routing.Cooldowns;
import dev.llmproxy.routing.LocalCooldowns;
import dev.llmproxy.routing.OpenElsewhere;
import dev.llmproxy.routing.SessionBindings;
import dev.llmproxy.usage.MemoryUsageCounters;
import dev.llmproxy.usage.UsageCounters;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The state several gateway instances share, in the store {@code state.store} names: in this process's memory, or
 * in Redis with a local view (see {@link RedisConnections}). Built once by the composition root from the config it
 * started with, and {@link #close() closed} on undeploy. What it holds: {@link #cooldowns()}, {@link
 * #loginFailures()} (the management lockout), {@link #usageCounters()} (the live usage of the period), {@link
 * #counters()} (for the counts that live a while, such as client-key limits), {@link #openElsewhere()} (the requests
 * capped clients hold open on other instances), and the channel that carries
 * management writes to the other instances. Rotation position is not shared: each instance keeps its own.
 * Thread-safe.
 */
public final class SharedState implements AutoCloseable {
  private final StateConfig config;
  private final Cooldowns cooldowns;
  private final SharedCounters counters;
  private final LoginFailures loginFailures;
  private final UsageCounters usageCounters;
  private final RedisOpenRequests openRequests;
  private final RedisConnections redis;
  private final RedisConfigSync configSync;
  private final Runnable stopPeriodic;

  private SharedState(StateConfig config, Cooldowns cooldowns, SharedCounters counters, LoginFailures loginFailures,
      UsageCounters usageCounters, RedisOpenRequests openRequests, RedisConnections redis, RedisConfigSync configSync,
      Runnable stopPeriodic) {
    this.config = config;
    this.cooldowns = cooldowns;
    this.counters = counters;
    this.loginFailures = loginFailures;
    this.usageCounters = usageCounters;
    this.openRequests = openRequests;
    this.redis = redis;
    this.configSync = configSync;
    this.stopPeriodic = stopPeriodic;
  }

  /**
   * Opens the store {@code config} names. With Redis, connects in the background (the gateway serves from its
   * local view meanwhile); {@code scheduler} runs the periodic work and applies configs other instances wrote.
   */
  public static SharedState open(StateConfig config, Clock clock, ScheduledExecutorService scheduler) {
    if (config.store() == StateConfig.Store.MEMORY) {
      return new SharedState(config, new LocalCooldowns(clock), new LocalCounters(clock),
          new InMemoryLoginFailures(clock), new MemoryUsageCounters(clock), null, null, null, () -> {});
    }
    RedisConnections redis = new RedisConnections(config, scheduler);
    RedisCounters counters = new RedisCounters(redis, config.keyPrefix(), clock, scheduler);
    RedisCooldowns cooldowns = new RedisCooldowns(new LocalCooldowns(clock), redis, counters, config.keyPrefix(),
        scheduler);
    RedisLoginFailures loginFailures = new RedisLoginFailures(redis, config.keyPrefix(), config.redisTimeout(),
        new InMemoryLoginFailures(clock), clock);
    RedisUsageCounters usage = new RedisUsageCounters(redis, config.keyPrefix(), config.redisTimeout(), clock,
        scheduler);
    RedisOpenRequests openRequests = new RedisOpenRequests(redis, config.keyPrefix(), config.redisTimeout(), clock,
        scheduler);
    return new SharedState(config, cooldowns, counters, loginFailures, usage, openRequests, redis,
        new RedisConfigSync(redis, config.keyPrefix(), scheduler), () -> {
          cooldowns.close();
          counters.close();
          usage.close();
          openRequests.close();
        });
  }

  /** The settings this store was opened with (a reload does not change them). */
  public StateConfig config() {
    return config;
  }

  public Cooldowns cooldowns() {
    return cooldowns;
  }

  public SharedCounters counters() {
    return counters;
  }

  /** The failed management key checks and the lockout they cause, counted across the fleet with Redis. */
  public LoginFailures loginFailures() {
    return loginFailures;
  }

  /** The live usage counters of the current period, the fleet's with Redis. */
  public UsageCounters usageCounters() {
    return usageCounters;
  }

  /** What the other instances hold open for each client with a {@code max-parallel-requests} cap (none in memory). */
  public OpenElsewhere openElsewhere() {
    return openRequests == null ? OpenElsewhere.NONE : openRequests;
  }

  /**
   * Shares what {@code mine} says this instance holds open per capped client with the other instances (every quarter
   * second with Redis; nothing to do in memory). Call once, when the routing state exists.
   */
  public void shareOpenRequests(Supplier<Map<String, Integer>> mine) {
    if (openRequests != null) {
      openRequests.share(mine);
    }
  }

  /**
   * Shares {@code local}'s session bindings ({@code routing.session-affinity}) with the other instances through Redis;
   * nothing to do in memory. Call once, when the routing state exists.
   */
  public void shareSessions(SessionBindings local) {
    if (redis != null) {
      new RedisSessionBindings(local, redis, config.keyPrefix());
    }
  }

  /** For {@code /healthz}: {@code memory}, {@code redis} while Redis answers, {@code degraded} while it does not. */
  public String status() {
    return redis == null ? "memory" : redis.status();
  }

  /** In memory, or on Redis and listening for the config writes of the other instances. */
  boolean listeningForConfig() {
    return configSync == null || configSync.listening();
  }

  /**
   * What to call with each {@code config.yaml} a management write persisted here, to apply it on the other
   * instances; does nothing in memory, where instances that share the config directory see each other's writes
   * through the file watch. Never blocks.
   */
  public Consumer<String> configWrites() {
    return configSync == null ? text -> { } : configSync::published;
  }

  /** Where the {@code config.yaml} content written through other instances goes (run on the scheduler). */
  public void adoptConfigWith(Consumer<String> adopter) {
    if (configSync != null) {
      configSync.adoptWith(adopter);
    }
  }

  /**
   * Writes what is still only here (usage counts), takes this instance's open requests out of the fleet's count, then
   * stops the store's threads (Redis's), waiting a while.
   */
  @Override
  public void close() {
    stopPeriodic.run();
    if (redis != null) {
      redis.close();
    }
  }
}
