package dev.llmproxy.relay;

import dev.llmproxy.metrics.AttemptOutcome;
import org.apache.hc.core5.http.protocol.HttpCoreContext;

/**
 * Whether an attempt may go again as if it had not happened: it failed only because the upstream did not process
 * its request (its pooled connection had gone stale under it, {@link StaleConnection}, or the upstream refused its
 * HTTP/2 stream, {@link RefusedStream}), fewer than {@link #MAX_REPEATS} times in a row.
 *
 * <p>Not thread-safe: its owner ({@link UpstreamAttempt}) records the failure and asks the question while holding
 * its own monitor; {@link #repeats} is final and may be read anywhere.
 */
final class UnprocessedRequest {
  /**
   * How often an attempt whose request the upstream did not process (a stale connection, a refused stream) goes
   * again. More than once: the pool may hold several idle connections the upstream closed at about the same time
   * (each is discarded as it fails).
   */
  static final int MAX_REPEATS = 3;

  /** How many attempts before this one, of the same step, the upstream did not process. */
  private final int repeats;
  /** Why the upstream did not process this attempt's request, when it did not; else {@code null}. */
  private AttemptOutcome unprocessed;

  UnprocessedRequest(int repeats) {
    this.repeats = repeats;
  }

  int repeats() {
    return repeats;
  }

  /**
   * The request failed with {@code cause} before any answer.
   *
   * @param context the exchange's context, where HttpCore left the connection's details
   */
  void onFailedBeforeHead(Exception cause, HttpCoreContext context) {
    unprocessed = unprocessedBy(cause, context);
  }

  /** Why the attempt may go again (see the class comment); {@code null} otherwise. */
  AttemptOutcome repeatableAs() {
    return repeats < MAX_REPEATS ? unprocessed : null;
  }

  /** Why the upstream did not process a request that failed with {@code cause} before any answer; else null. */
  private static AttemptOutcome unprocessedBy(Exception cause, HttpCoreContext context) {
    if (StaleConnection.closedUnderRequest(cause, context)) {
      return AttemptOutcome.STALE_CONNECTION;
    }
    return RefusedStream.refused(cause) ? AttemptOutcome.REFUSED_STREAM : null;
  }
}
