package dev.llmproxy.limits;

import java.time.YearMonth;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What this instance keeps about one limited client beyond the shared counters: when its view of the fleet's counters
 * was last brought up to date (with Redis), and whether its month's counters were started from the durable usage
 * records. Thread-safe (its own monitor, held only to swap futures, never while waiting).
 */
final class ClientState {
  static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private long syncedAtNanos;
  private boolean synced;
  private CompletableFuture<Void> sync = DONE;

  private YearMonth seededMonth;
  private CompletableFuture<Void> seed = DONE;
  private YearMonth failedMonth;
  private long retrySeedAtNanos;

  /**
   * The refresh to wait for when this instance's view is older than {@code freshNanos} (starting it with
   * {@code refresh}), or one still in flight; {@code null} when the view is fresh. A refresh counts from when it was
   * asked for, so a Redis that does not answer costs one wait per client per period, not one per request.
   */
  synchronized CompletableFuture<Void> syncIfStale(long nowNanos, long freshNanos,
      Supplier<CompletableFuture<Void>> refresh) {
    if (!sync.isDone()) {
      return sync;
    }
    if (synced && nowNanos - syncedAtNanos < freshNanos) {
      return null;
    }
    synced = true;
    syncedAtNanos = nowNanos;
    sync = refresh.get();
    return sync;
  }

  /**
   * The seeding of {@code month}'s counters: the one started before, or a new one from {@code start}; done at once
   * while a failed seeding of that month waits for its retry time.
   */
  synchronized CompletableFuture<Void> seedFor(YearMonth month, long nowNanos, Supplier<CompletableFuture<Void>> start) {
    if (month.equals(seededMonth)) {
      return seed;
    }
    if (month.equals(failedMonth) && nowNanos - retrySeedAtNanos < 0) {
      return DONE;
    }
    seededMonth = month;
    seed = DONE; // the start may finish (and fail) within start.get()
    CompletableFuture<Void> started = start.get();
    if (month.equals(seededMonth)) {
      seed = started;
    }
    return started;
  }

  /** Seeding {@code month} failed: try again at the first request from {@code retryAtNanos} on. */
  synchronized void seedFailed(YearMonth month, long retryAtNanos) {
    if (month.equals(seededMonth)) {
      seededMonth = null;
    }
    failedMonth = month;
    retrySeedAtNanos = retryAtNanos;
  }

  /** The shared counters lost {@code month} (Redis restarted empty): seed it again at the next request. */
  synchronized void forgetSeed(YearMonth month) {
    if (month.equals(seededMonth) && seed.isDone()) {
      seededMonth = null;
    }
  }
}
