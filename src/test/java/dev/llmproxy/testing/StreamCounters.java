package dev.llmproxy.testing;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Live counters behind {@link StreamStats}; lets a test wait for a count instead of sleeping.
 *
 * <p>Thread-safe: every method synchronizes on this object, and waiters are woken on each change.
 */
final class StreamCounters {

  /** How a stream ended. */
  enum Outcome {
    COMPLETED,
    CANCELLED,
    ABORTED
  }

  private int started;
  private int completed;
  private int cancelled;
  private int aborted;

  synchronized void onStarted() {
    started++;
    notifyAll();
  }

  synchronized void onFinished(Outcome outcome) {
    switch (outcome) {
      case COMPLETED -> completed++;
      case CANCELLED -> cancelled++;
      case ABORTED -> aborted++;
    }
    notifyAll();
  }

  synchronized StreamStats snapshot() {
    return new StreamStats(started, completed, cancelled, aborted);
  }

  synchronized void reset() {
    started = 0;
    completed = 0;
    cancelled = 0;
    aborted = 0;
    notifyAll();
  }

  /**
   * Blocks until {@code condition} holds for the current counts.
   *
   * @throws AssertionError with the last counts when {@code timeout} passes first
   */
  synchronized StreamStats await(Predicate<StreamStats> condition, Duration timeout, String description)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    StreamStats stats = snapshot();
    while (!condition.test(stats)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("expected " + description + " within " + timeout + " but got " + stats);
      }
      wait(Math.max(1, left / 1_000_000));
      stats = snapshot();
    }
    return stats;
  }
}
