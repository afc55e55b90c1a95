package dev.llmproxy.routing;

import dev.llmproxy.config.ErrorAction;
import java.time.Duration;

/**
 * One failed upstream attempt as routing needs to know it. Immutable.
 *
 * @param kind classification
 * @param status HTTP status the client would see for it (upstream status, or 502/504 for transport failures)
 * @param retryAfter the upstream's Retry-After, or {@code null}
 * @param body the OpenAI-shaped error body to relay if this is the last failure
 * @param action what the provider's {@code request-scoped-errors} say to do instead of what {@code kind}
 *     implies, or {@code null}
 */
public record UpstreamFailure(FailureKind kind, int status, Duration retryAfter, byte[] body, ErrorAction action) {
  public UpstreamFailure(FailureKind kind, int status, Duration retryAfter, byte[] body) {
    this(kind, status, retryAfter, body, null);
  }

  public UpstreamFailure withAction(ErrorAction overriding) {
    return new UpstreamFailure(kind, status, retryAfter, body, overriding);
  }
}
