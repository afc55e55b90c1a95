package dev.llmproxy.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for something another thread or process makes true, for tests. Stateless. */
public final class Await {
  private static final Duration POLL = Duration.ofMillis(10);

  private Await() {}

  /** Polls {@code condition} every 10 ms until it holds; fails naming {@code what} after {@code within}. */
  public static void until(Duration within, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within + ": " + what);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
