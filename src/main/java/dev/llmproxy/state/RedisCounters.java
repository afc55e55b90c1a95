package dev.llmproxy.state;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * {@link SharedCounters} in Redis ({@code <prefix>counter:<name>}, expiring with the counter; see {@link
 * CounterScripts}), with a local estimate so that no caller waits: an addition counts at once here and is sent as one
 * atomic script; Redis's answer (the fleet's total) becomes the base of the estimate. What other instances added shows
 * here with this instance's next answer, or at once through {@link #read}.
 *
 * <p>While Redis is down additions are kept and sent again when it is back, so no count is lost; an addition whose
 * answer timed out may have reached Redis and is then counted twice (the safe side for limits). A Redis that comes
 * back empty (restarted without persistence, told by its epoch) gets every live counter back: each instance raises the
 * counter's floor to the total it last read, so the counts made before the loss count once however many instances
 * restore them, and its own unsent additions on top. A Redis that loses its data while connected (FLUSHALL, eviction,
 * a failover behind a proxy) is told by the same epoch: every addition, floor and read names the epoch it was made
 * in, and Redis refuses it when the epoch differs ({@link CounterScripts#LOST}), in the same round trip. The refused
 * addition is kept as unsent, the instance restores all its counters as after a restart, and the caller gets the
 * total after that; so no answer of the emptied Redis ever lowers the instance's view. An instance that sends
 * nothing reads the epoch once every {@link #CHECK_EVERY}, so what it alone knew comes back within that time too.
 * Restores run one at a time.
 * Memory is bounded: expired counters are dropped when the table
 * grows. Thread-safe (one monitor per counter, never held across I/O).
 */
public final class RedisCounters implements SharedCounters {
  private static final int PRUNE_ABOVE = 10_000;
  /** How often an instance compares its epoch with Redis's, for counters it knows but does not add to. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  /** What this instance knows of one counter. Guarded by its own monitor. */
  private static final class Tally {
    long confirmed;
    long inFlight;
    long unsent;
    long floor;
    Duration ttl = Duration.ZERO;
    Instant expires = Instant.MIN;

    long estimate(Instant now) {
      return expires.isAfter(now) ? Math.max(confirmed, floor) + inFlight + unsent : 0;
    }

    void startIfExpired(Instant now, Duration newTtl) {
      if (!expires.isAfter(now)) {
        // Redis's copy expired at the same time: start again from zero.
        confirmed = 0;
        unsent = 0;
        floor = 0;
      }
      ttl = newTtl;
      expires = now.plus(newTtl);
    }
  }

  private final RedisConnections redis;
  private final String keyPrefix;
  private final String floorPrefix;
  private final String epochKey;
  private final Clock clock;
  private final ConcurrentMap<String, Tally> tallies = new ConcurrentHashMap<>();
  /** The epoch of the Redis this instance's counts were made in; {@code ""} before the first answer. */
  private volatile String epoch = "";
  private final Object restores = new Object();
  /** Whether a restore runs. Guarded by {@code restores}. */
  private boolean restoring;
  /** Completes after the restore asked for while one ran, which starts when it ends. Guarded by {@code restores}. */
  private CompletableFuture<Void> queued;

  private final ScheduledFuture<?> checks;

  /** Counts in {@code redis}; {@code scheduler} compares epochs every {@link #CHECK_EVERY} until {@link #close}. */
  public RedisCounters(RedisConnections redis, String keyPrefix, Clock clock, ScheduledExecutorService scheduler) {
    this.redis = redis;
    this.keyPrefix = keyPrefix + "counter:";
    this.floorPrefix = keyPrefix + "counter-floor:";
    this.epochKey = keyPrefix + "counter-epoch";
    this.clock = clock;
    redis.onUp(this::restore);
    this.checks = scheduler.scheduleWithFixedDelay(this::checkEpoch, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Stops the epoch checks. */
  public void close() {
    checks.cancel(false);
  }

  /** Restores when Redis names another epoch than the one this instance counted in (one small read, no waiting). */
  private void checkEpoch() {
    String known = epoch;
    if (known.isEmpty() || !redis.isUp()) {
      return; // before the first restore, or while down: the next answer's restore takes care of it
    }
    redis.call(c -> c.get(epochKey)).thenAccept(current -> {
      if (!known.equals(current) && known.equals(epoch)) {
        restore();
      }
    });
  }

  @Override
  public Added add(String name, long delta, Duration ttl) {
    return sent(name, ttl, delta, t -> t.inFlight += delta, CounterScripts.ADD, delta);
  }

  @Override
  public Added raise(String name, long floor, Duration ttl) {
    // Kept for the next restore, which raises it again should this answer not come.
    return sent(name, ttl, 0, t -> t.floor = Math.max(t.floor, floor), CounterScripts.RAISE, floor);
  }

  /**
   * Notes a change on {@code name}'s tally (under its lock, started anew when expired), then sends {@code script}
   * with {@code argument}; {@code delta} is what the tally holds in flight until Redis answers.
   */
  private Added sent(String name, Duration ttl, long delta, Consumer<Tally> note, String script, long argument) {
    Instant now = clock.instant();
    Tally t = tallies.computeIfAbsent(name, k -> new Tally());
    long estimate;
    synchronized (t) {
      t.startIfExpired(now, ttl);
      note.accept(t);
      estimate = t.estimate(now);
    }
    prune(now);
    return new Added(estimate, send(t, delta, redis.call(c -> c.<Long>eval(script, ScriptOutputType.INTEGER,
        keys(name), Long.toString(argument), millis(ttl), epoch))));
  }

  private void prune(Instant now) {
    if (tallies.size() > PRUNE_ABOVE) {
      tallies.values().removeIf(x -> x.estimate(now) == 0 && x.inFlight == 0);
    }
  }

  /**
   * What {@code total} answers for {@code t}; when Redis refused it as made in a lost epoch, the total once this
   * instance has restored its counters (the refused delta among them).
   */
  private CompletableFuture<Long> send(Tally t, long delta, CompletableFuture<Long> total) {
    return total.whenComplete((value, failure) -> {
      synchronized (t) {
        t.inFlight -= delta;
        if (failure == null) {
          // Answers come in the order the additions were sent: the latest is the fleet's total so far.
          t.confirmed = value;
        } else {
          // Refused (lost epoch) or unanswered: sent again by the next restore; confirmed stays the last total read.
          t.unsent += delta;
        }
      }
    }).exceptionallyCompose(failure -> isLost(failure)
        ? restore().thenApply(ignored -> estimateOf(t))
        : CompletableFuture.failedFuture(failure));
  }

  private long estimateOf(Tally t) {
    synchronized (t) {
      return t.estimate(clock.instant());
    }
  }

  /** Whether Redis refused a script as made in an epoch it no longer has: it lost its data while connected. */
  private static boolean isLost(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
        : failure;
    return cause instanceof RedisCommandExecutionException && cause.getMessage() != null
        && cause.getMessage().startsWith(CounterScripts.LOST);
  }

  /**
   * Runs a restore, or, while one runs, another right after it (what it sends may have been refused after the
   * running one looked). Completes when that restore has ended, successfully or not.
   */
  private CompletableFuture<Void> restore() {
    CompletableFuture<Void> ended;
    synchronized (restores) {
      if (restoring) {
        if (queued == null) {
          queued = new CompletableFuture<>();
        }
        return queued;
      }
      restoring = true;
      ended = new CompletableFuture<>();
    }
    restoreUntilNoneQueued(ended);
    return ended;
  }

  private void restoreUntilNoneQueued(CompletableFuture<Void> ended) {
    restoreOnce().whenComplete((ignored, failure) -> {
      CompletableFuture<Void> next;
      synchronized (restores) {
        next = queued;
        queued = null;
        restoring = next != null;
      }
      ended.complete(null);
      if (next != null) {
        restoreUntilNoneQueued(next);
      }
    });
  }

  /**
   * Redis answers again (or for the first time, or refused a script as made in a lost epoch): sends what could not be
   * sent and, should Redis have lost its data, the totals this instance last read. {@code confirmed} is still the
   * total read before the loss, as Redis refuses every script of the old epoch. Completes when every counter has
   * been sent and the epoch read, successfully or not.
   */
  private CompletableFuture<Void> restoreOnce() {
    Instant now = clock.instant();
    String known = epoch;
    String fresh = UUID.randomUUID().toString();
    List<CompletableFuture<?>> sent = new ArrayList<>();
    tallies.forEach((name, t) -> {
      long unsent;
      long floor;
      long confirmed;
      Duration ttl;
      synchronized (t) {
        if (!t.expires.isAfter(now) || t.unsent == 0 && t.floor == 0 && t.confirmed == 0) {
          return;
        }
        unsent = t.unsent;
        floor = t.floor;
        confirmed = t.confirmed;
        t.unsent = 0;
        t.inFlight += unsent;
        ttl = Duration.between(now, t.expires);
      }
      CompletableFuture<List<Object>> answer = redis.call(c -> c.<List<Object>>eval(CounterScripts.RESTORE,
          ScriptOutputType.MULTI, keys(name),
          Long.toString(unsent), Long.toString(floor), Long.toString(confirmed), millis(ttl), known, fresh));
      sent.add(send(t, unsent, answer.thenApply(reply -> (Long) reply.get(0))));
    });
    CompletableFuture<String> current = redis.call(c -> c.<String>eval(CounterScripts.EPOCH,
        ScriptOutputType.VALUE, new String[] {epochKey}, fresh));
    // Only once every counter is restored: should one fail, the next restore compares with the old epoch again.
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
        .thenCombine(current, (ignored, e) -> e)
        .thenAccept(e -> epoch = e)
        .handle((ignored, failure) -> null);
  }

  private String[] keys(String name) {
    return new String[] {keyPrefix + name, floorPrefix + name, epochKey};
  }

  private static String millis(Duration ttl) {
    return Long.toString(Math.max(1, ttl.toMillis()));
  }

  @Override
  public long estimate(String name) {
    Tally t = tallies.get(name);
    return t == null ? 0 : estimateOf(t);
  }

  @Override
  public CompletableFuture<Long> read(String name) {
    return read(name, true);
  }

  /** {@link #read}; when Redis lost its data, once more after this instance restored its counters. */
  private CompletableFuture<Long> read(String name, boolean again) {
    CompletableFuture<Long> total = redis.call(c -> c.<Long>eval(CounterScripts.READ, ScriptOutputType.INTEGER,
        keys(name), "0", "0", epoch));
    return total.thenApply(value -> {
      Tally t = tallies.get(name);
      if (t != null) {
        synchronized (t) {
          if (t.inFlight == 0) {
            t.confirmed = value;
          }
        }
      }
      return value + (t == null ? 0 : unsent(t));
    }).exceptionallyCompose(failure -> again && isLost(failure)
        ? restore().thenCompose(ignored -> read(name, false))
        : CompletableFuture.failedFuture(failure));
  }

  private static long unsent(Tally t) {
    synchronized (t) {
      return t.unsent;
    }
  }

  @Override
  public void reset(String name) {
    tallies.remove(name);
    redis.call(c -> c.del(keyPrefix + name, floorPrefix + name));
  }
}
