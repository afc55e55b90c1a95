package dev.llmproxy.routing;

import dev.llmproxy.config.ErrorAction;
import java.time.Duration;

/**
 * One failed upstream attempt, as routing needs to know it and as the client may be told about it.
 * Values only: the client's dialect renders it. Immutable.
 *
 * @param kind classification; decides failover and cooldown
 * @param status the HTTP status the client gets if this is the last failure (the upstream's status for
 *     request faults and rate limits, 502 for refused upstream credentials and broken streams, 504 for
 *     timeouts)
 * @param upstreamStatus the status the upstream answered with, or 0 when it never answered (a transport failure)
 * @param retryAfter the upstream's Retry-After, or {@code null}
 * @param detail what the client may read about it
 * @param action what the provider's {@code request-scoped-errors} say to do instead of what {@code kind}
 *     implies, or {@code null}
 * @param logDetail what operators read about it in the log (the cause, the upstream's own words, cleaned of
 *     credentials), or {@code null}
 */
public record UpstreamFailure(FailureKind kind, int status, int upstreamStatus, Duration retryAfter,
    FailureDetail detail, ErrorAction action, String logDetail) {

  /** A failure whose status the client gets is the upstream's own, with nothing for the log. */
  public UpstreamFailure(FailureKind kind, int status, Duration retryAfter, FailureDetail detail) {
    this(kind, status, status, retryAfter, detail, null, null);
  }

  public UpstreamFailure withAction(ErrorAction overriding) {
    return new UpstreamFailure(kind, status, upstreamStatus, retryAfter, detail, overriding, logDetail);
  }

  /** How the cooldown and the log name it: the upstream's status, or what happened to the connection. */
  public String describe() {
    return upstreamStatus > 0 ? "HTTP " + upstreamStatus : status == 504 ? "timeout" : "no answer";
  }
}
