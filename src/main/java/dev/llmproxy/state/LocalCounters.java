package dev.llmproxy.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/**
 * {@link SharedCounters} in this process's memory ({@code state.store: memory}). Memory is bounded: expired counters
 * are dropped when the table grows. Thread-safe (one atomic compute per addition).
 */
public final class LocalCounters implements SharedCounters {
  private static final int PRUNE_ABOVE = 10_000;

  /** {@code floor}: the part of {@code value} that {@link #raise} put there. */
  private record Count(long value, long floor, Instant expires) {}

  private final Clock clock;
  private final ConcurrentMap<String, Count> counts = new ConcurrentHashMap<>();

  public LocalCounters(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Added add(String name, long delta, Duration ttl) {
    Instant now = clock.instant();
    return update(name, now, old -> new Count(old.value() + delta, old.floor(), now.plus(ttl)));
  }

  @Override
  public Added raise(String name, long floor, Duration ttl) {
    Instant now = clock.instant();
    return update(name, now, old -> new Count(old.value() + Math.max(0, floor - old.floor()),
        Math.max(floor, old.floor()), now.plus(ttl)));
  }

  private Added update(String name, Instant now, UnaryOperator<Count> change) {
    Count c = counts.compute(name, (k, old) ->
        change.apply(old == null || !old.expires().isAfter(now) ? new Count(0, 0, now) : old));
    if (counts.size() > PRUNE_ABOVE) {
      counts.values().removeIf(x -> !x.expires().isAfter(now));
    }
    return new Added(c.value(), CompletableFuture.completedFuture(c.value()));
  }

  @Override
  public long estimate(String name) {
    Count c = counts.get(name);
    return c == null || !c.expires().isAfter(clock.instant()) ? 0 : c.value();
  }

  @Override
  public CompletableFuture<Long> read(String name) {
    return CompletableFuture.completedFuture(estimate(name));
  }

  @Override
  public void reset(String name) {
    counts.remove(name);
  }
}
