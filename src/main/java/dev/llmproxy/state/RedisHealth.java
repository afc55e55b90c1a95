package dev.llmproxy.state;

import dev.llmproxy.config.RedisUrl;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis answers, and the log lines an operator reads about it: one warning when it stops answering (not one
 * per request or per retry), one line when it is back. Thread-safe (one atomic state; each transition is logged by
 * the one thread that made it).
 */
final class RedisHealth {
  private static final Logger LOG = LoggerFactory.getLogger(RedisHealth.class);

  /** CONNECTING until the first answer or failure. */
  enum State { CONNECTING, UP, DOWN }

  private final RedisUrl url;
  private final AtomicReference<State> state = new AtomicReference<>(State.CONNECTING);

  RedisHealth(RedisUrl url) {
    this.url = url;
  }

  State state() {
    return state.get();
  }

  boolean isUp() {
    return state.get() == State.UP;
  }

  /** Redis answered. Returns true when this is news (first contact or the end of an outage): time to catch up. */
  boolean answered() {
    State before = state.getAndSet(State.UP);
    if (before == State.UP) {
      return false;
    }
    if (before == State.CONNECTING) {
      LOG.info("Sharing state through Redis at {}", url);
    } else {
      LOG.info("Redis at {} is back; sharing state again", url);
    }
    return true;
  }

  /** Redis did not answer (in time); logs the first failure of an outage only. */
  void failed(Throwable cause) {
    State before = state.getAndSet(State.DOWN);
    if (before != State.DOWN) {
      LOG.warn("Redis at {} is not answering ({}); requests go on with this instance's own view of the shared state "
          + "until it is back", url, describe(cause));
    }
  }

  /** The root cause's type and message: Lettuce's messages name host and port, never the password. */
  static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
  }
}
