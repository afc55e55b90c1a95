package dev.llmproxy.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for what another thread, process or gateway instance makes true in its own time (a Redis write reaching
 * every instance, a health state changing), by asking again every 20 ms. Only for outcomes that have no event to
 * wait on; a test proves ordering with latches, never with this. Stateless.
 */
public final class Polling {
  private static final long PAUSE_MILLIS = 20;

  private Polling() {}

  /**
   * Returns once {@code condition} holds.
   *
   * @param what the condition in words, for the failure
   * @throws AssertionError when it still does not hold after {@code within}
   */
  public static void await(Duration within, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within + ": " + what);
      }
      try {
        Thread.sleep(PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
