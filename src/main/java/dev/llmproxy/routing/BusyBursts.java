package dev.llmproxy.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Requests of one kind that the gateway refused because it was full: how many, the last time, and whether a
 * refusal starts a burst (none for {@value #QUIET_SECONDS} s before it), so that a full gateway is logged once
 * per burst rather than once per request. Thread-safe (an atomic counter and an atomic timestamp).
 */
final class BusyBursts {
  static final long QUIET_SECONDS = 30;

  private final AtomicLong refused = new AtomicLong();
  private final AtomicReference<Instant> last = new AtomicReference<>();

  /** Counts one refusal at {@code now}; true when it is the first of a burst, the one to log. */
  boolean refuse(Instant now) {
    refused.incrementAndGet();
    Instant previous = last.getAndSet(now);
    return previous == null || Duration.between(previous, now).getSeconds() >= QUIET_SECONDS;
  }

  long refused() {
    return refused.get();
  }

  /** The last refusal, or {@code null} when there was none. */
  Instant last() {
    return last.get();
  }
}
