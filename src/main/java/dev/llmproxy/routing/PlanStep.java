package dev.llmproxy.routing;

import java.time.Duration;

/** What a request should do next, as decided by its {@link RoutePlan}. */
public sealed interface PlanStep {

  /** Send the request upstream with this key and model. */
  record Try(Attempt attempt) implements PlanStep {}

  /** Nothing is usable now but a candidate will be within {@code max-retry-interval}: ask again after the delay. */
  record Wait(Duration delay) implements PlanStep {}

  /**
   * Answer the client now.
   *
   * @param status HTTP status
   * @param body OpenAI-shaped JSON body
   * @param retryAfter value for a {@code Retry-After} header, or {@code null}
   */
  record GiveUp(int status, byte[] body, Duration retryAfter) implements PlanStep {}
}
