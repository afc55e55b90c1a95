package dev.llmproxy.state;

import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link SharedCounters} in Redis ({@code <prefix>counter:<name>}, expiring with the counter), with a local estimate
 * so that no caller waits: an addition counts at once here and is sent as one atomic INCRBY+PEXPIRE; Redis's answer
 * (the fleet's total) becomes the base of the estimate. What other instances added shows here with this instance's
 * next answer, or at once through {@link #read}.
 *
 * <p>While Redis is down additions are kept and sent again when it is back, so no count is lost; an addition whose
 * answer timed out may have reached Redis and is then counted twice (the safe side for limits). Memory is bounded:
 * expired counters are dropped when the table grows. Thread-safe (one monitor per counter, never held across I/O).
 */
public final class RedisCounters implements SharedCounters {
  private static final int PRUNE_ABOVE = 10_000;
  private static final String ADD = """
      local total = redis.call('INCRBY', KEYS[1], ARGV[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      return total""";

  /** What this instance knows of one counter. Guarded by its own monitor. */
  private static final class Tally {
    long confirmed;
    long inFlight;
    long unsent;
    Duration ttl = Duration.ZERO;
    Instant expires = Instant.MIN;

    long estimate(Instant now) {
      return expires.isAfter(now) ? confirmed + inFlight + unsent : 0;
    }
  }

  private final RedisConnections redis;
  private final String keyPrefix;
  private final Clock clock;
  private final ConcurrentMap<String, Tally> tallies = new ConcurrentHashMap<>();

  public RedisCounters(RedisConnections redis, String keyPrefix, Clock clock) {
    this.redis = redis;
    this.keyPrefix = keyPrefix + "counter:";
    this.clock = clock;
    redis.onUp(this::resendUnsent);
  }

  @Override
  public Added add(String name, long delta, Duration ttl) {
    Instant now = clock.instant();
    Tally t = tallies.computeIfAbsent(name, k -> new Tally());
    long estimate;
    synchronized (t) {
      if (!t.expires.isAfter(now)) {
        // Redis's copy expired at the same time: start again from zero.
        t.confirmed = 0;
        t.unsent = 0;
      }
      t.inFlight += delta;
      t.ttl = ttl;
      t.expires = now.plus(ttl);
      estimate = t.estimate(now);
    }
    if (tallies.size() > PRUNE_ABOVE) {
      tallies.values().removeIf(x -> x.estimate(now) == 0 && x.inFlight == 0);
    }
    return new Added(estimate, send(name, t, delta, ttl));
  }

  private CompletableFuture<Long> send(String name, Tally t, long delta, Duration ttl) {
    CompletableFuture<Long> total = redis.call(c -> c.<Long>eval(ADD, ScriptOutputType.INTEGER,
        new String[] {keyPrefix + name}, Long.toString(delta), Long.toString(Math.max(1, ttl.toMillis()))));
    return total.whenComplete((value, failure) -> {
      synchronized (t) {
        t.inFlight -= delta;
        if (failure == null) {
          // Answers come in the order the additions were sent: the latest is the fleet's total so far.
          t.confirmed = value;
        } else {
          t.unsent += delta;
        }
      }
    });
  }

  private void resendUnsent() {
    Instant now = clock.instant();
    tallies.forEach((name, t) -> {
      long delta;
      Duration ttl;
      synchronized (t) {
        if (t.unsent == 0 || !t.expires.isAfter(now)) {
          return;
        }
        delta = t.unsent;
        t.unsent = 0;
        t.inFlight += delta;
        ttl = Duration.between(now, t.expires);
      }
      send(name, t, delta, ttl);
    });
  }

  @Override
  public long estimate(String name) {
    Tally t = tallies.get(name);
    if (t == null) {
      return 0;
    }
    synchronized (t) {
      return t.estimate(clock.instant());
    }
  }

  @Override
  public CompletableFuture<Long> read(String name) {
    return redis.call(c -> c.get(keyPrefix + name)).thenApply(v -> {
      long value = v == null ? 0 : Long.parseLong(v);
      Tally t = tallies.get(name);
      if (t != null) {
        synchronized (t) {
          if (t.inFlight == 0) {
            t.confirmed = value;
          }
        }
      }
      return value + (t == null ? 0 : unsent(t));
    });
  }

  private static long unsent(Tally t) {
    synchronized (t) {
      return t.unsent;
    }
  }

  @Override
  public void reset(String name) {
    tallies.remove(name);
    redis.call(c -> c.del(keyPrefix + name));
  }
}
