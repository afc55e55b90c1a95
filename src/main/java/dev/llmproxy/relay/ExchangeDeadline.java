package dev.llmproxy.relay;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The end of one request's life ({@code upstream.max-duration}): runs its expiry once, on the shared scheduler,
 * unless cancelled first. The read timeout bounds only silence and the first-event timeout only the start, so an
 * upstream that drips a byte a second would otherwise hold a request (and its open-request place) for good.
 * Thread-safe.
 */
final class ExchangeDeadline {
  private final ScheduledFuture<?> task;

  private ExchangeDeadline(ScheduledFuture<?> task) {
    this.task = task;
  }

  /** @param onExpiry called on the scheduler thread, under no lock */
  static ExchangeDeadline start(ScheduledExecutorService scheduler, Duration maxDuration, Runnable onExpiry) {
    return new ExchangeDeadline(scheduler.schedule(onExpiry, maxDuration.toMillis(), TimeUnit.MILLISECONDS));
  }

  void cancel() {
    task.cancel(false);
  }
}
