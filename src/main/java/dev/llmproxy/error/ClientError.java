package dev.llmproxy.error;

import java.time.Duration;

/**
 * An error a client must see, before any wire format was chosen: the status, the OpenAI-style fields
 * (the gateway's vocabulary for errors; other dialects keep the status and the message and word the rest
 * their own way) and how long to wait before retrying. Immutable.
 *
 * @param retryAfter for a {@code Retry-After} header, or {@code null}
 */
public record ClientError(int status, OpenAiError error, Duration retryAfter) {

  public ClientError(int status, OpenAiError error) {
    this(status, error, null);
  }

  public static ClientError of(GatewayException e) {
    return new ClientError(e.status(), e.error());
  }

  public String message() {
    return error.message();
  }

  /** The {@code Retry-After} value in whole seconds (at least 1), or {@code null}. */
  public String retryAfterSeconds() {
    return retryAfter == null ? null : Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
  }
}
