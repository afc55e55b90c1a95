package dev.llmproxy.metrics;

import dev.llmproxy.routing.FailureKind;

/** How one upstream attempt ended: the {@code outcome} label of {@code llmproxy_upstream_attempts_total}. */
public enum AttemptOutcome {
  SUCCESS("success"),
  RATE_LIMIT("rate_limit"),
  KEY_FAULT("key_fault"),
  TRANSIENT("transient"),
  MODEL_GONE("model_gone"),
  REQUEST_FAULT("request_fault"),
  CANCELLED("cancelled"),
  /** The gateway's own connection pool was full: not the provider's fault. */
  GATEWAY_BUSY("gateway_busy"),
  /** The pooled connection had gone stale under the request (the upstream closed it): sent again, not a failure. */
  STALE_CONNECTION("stale_connection"),
  /** The upstream refused the HTTP/2 stream (REFUSED_STREAM: it did not process the request): sent again. */
  REFUSED_STREAM("refused_stream");

  private final String label;

  AttemptOutcome(String label) {
    this.label = label;
  }

  /** The label value. */
  public String label() {
    return label;
  }

  /** The outcome of an attempt that failed as routing classified it. */
  public static AttemptOutcome of(FailureKind kind) {
    return switch (kind) {
      case REQUEST_FAULT -> REQUEST_FAULT;
      case KEY_FAULT -> KEY_FAULT;
      case RATE_LIMIT -> RATE_LIMIT;
      case TRANSIENT -> TRANSIENT;
      case MODEL_GONE -> MODEL_GONE;
      case CLIENT_GONE -> CANCELLED;
      case GATEWAY_BUSY -> GATEWAY_BUSY;
    };
  }
}
