package dev.llmproxy.routing;

import java.time.Duration;

/** What a request should do next, as decided by its {@link RoutePlan}. */
public sealed interface PlanStep {

  /** Send the request upstream with this key and model. */
  record Try(Attempt attempt) implements PlanStep {}

  /** Nothing is usable now but a candidate will be within {@code max-retry-interval}: ask again after the delay. */
  record Wait(Duration delay) implements PlanStep {}

  /**
   * Answer the client now, with this status and why; the client's dialect words it.
   *
   * @param status HTTP status
   * @param retryAfter value for a {@code Retry-After} header, or {@code null}
   * @param reason why the request cannot be served
   */
  record GiveUp(int status, Duration retryAfter, Reason reason) implements PlanStep {}

  /** Why a request gives up. */
  sealed interface Reason {}

  /** No provider of the model has a key configured (providers without keys get one empty key). */
  record NoKeys(String model) implements Reason {}

  /** Every candidate is cooling and none will be free within {@code max-retry-interval}. */
  record Cooling(String model, long seconds, Cause cause) implements Reason {}

  /** The last attempt failed in a way that ends the request, or no retry round is left. */
  record LastFailure(UpstreamFailure failure) implements Reason {}

  /** What the cooling candidates last failed with, which decides what the client is told. */
  enum Cause {
    /** At least one is cooling after a 429: the client's rate limit, 429 with Retry-After. */
    RATE_LIMITED,
    /** Unreachable, failing or refusing the gateway's credentials: 503 with Retry-After, never a rate limit. */
    UNAVAILABLE
  }
}
