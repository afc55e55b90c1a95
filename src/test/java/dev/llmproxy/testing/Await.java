package dev.llmproxy.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for what another thread, process or gateway instance makes true in its own time (a Redis write reaching
 * every instance, a health state changing), by asking again every 10 ms. Only for outcomes that have no event to
 * wait on; a test proves ordering with latches, never with this. Stateless.
 */
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
