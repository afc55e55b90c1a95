package dev.llmproxy.relay;

import java.util.concurrent.ScheduledFuture;

/**
 * Whether an attempt's first event came (a JSON answer: its head), and the scheduled task that fails the attempt
 * when it does not come in time ({@code upstream.first-event-timeout}). The read timeout cannot do this: every SSE
 * comment resets it, so an upstream that answers 200 and then sends only {@code : ping} would hold the request for
 * good, and the client would get no head at all (it is held back until the first event, for failover).
 *
 * <p>Not thread-safe: its owner ({@link UpstreamAttempt}) calls it only while holding its own monitor, which is what
 * makes "met" and "the task" change together with the attempt's end.
 */
final class FirstEventDeadline {
  /** The first event came, or the head of a JSON answer: the deadline is met. */
  private boolean met;
  /** Fails the attempt as timed out if it is not {@link #met} in time; {@code null} once disarmed. */
  private ScheduledFuture<?> task;

  /**
   * Keeps {@code scheduled} to cancel once the deadline is met, or cancels it at once if it is met already or the
   * attempt is {@code over}.
   */
  void arm(ScheduledFuture<?> scheduled, boolean over) {
    if (over || met) {
      scheduled.cancel(false);
    } else {
      task = scheduled;
    }
  }

  boolean isMet() {
    return met;
  }

  /** The first event (or a JSON head) came. */
  void meet() {
    met = true;
    disarm();
  }

  /** Cancels the task, if armed; the attempt ended, or the deadline is met. */
  void disarm() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }
}
