package dev.llmproxy.routing;

import dev.llmproxy.config.RoutingConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The sequence of upstream attempts for one client request: pool members and keys in rotation order,
 * cooling candidates skipped, then further rounds ({@code request-retry}) when a cooldown ends within
 * {@code max-retry-interval}. Records cooldowns as failures come in. Not thread-safe: one request
 * drives it, one callback at a time.
 */
public final class RoutePlan {
  static final Duration WAKE_UP_MARGIN = Duration.ofMillis(25);
  private final ModelRoute route;
  private final RetryPolicy policy;
  private final Cooldowns cooldowns;
  private final AttemptOrder order;
  private final SessionAffinity affinity;
  private final int maxRounds;
  private final int bootstrapRounds;

  private int round;
  private int cursor;
  private final Set<String> keysThisRound = new HashSet<>();
  private UpstreamFailure lastFailure;
  /** The rest the last 429 of this request opened, for a final answer whose upstream named no wait. */
  private Duration lastRateLimitRest;
  private Instant earliestCoolingEnd;
  private int attempts;
  /** Whether the session's bound attempt had its turn; the attempt, if it was tried then. */
  private boolean preferredOffered;
  private Attempt triedFirst;

  private RoutePlan(ModelRoute route, RetryPolicy policy, Cooldowns cooldowns, AttemptOrder order,
      SessionAffinity affinity, boolean stream) {
    this.route = route;
    this.policy = policy;
    this.cooldowns = cooldowns;
    this.order = order;
    this.affinity = affinity;
    int providerMax = 0;
    for (Attempt a : order.all()) {
      providerMax = Math.max(providerMax, policy.requestRetry(a.credential().provider()));
    }
    this.bootstrapRounds = stream ? policy.bootstrapRetries() : 0;
    this.maxRounds = 1 + providerMax + bootstrapRounds;
  }

  /** The plan for one request to {@code route} that names no session: see the next method. */
  public static RoutePlan create(ModelRoute route, RoutingTable table, RoutingConfig routing,
      RetryPolicy policy, RoutingState state, boolean stream) {
    return create(route, table, routing, policy, state, stream, null);
  }

  /**
   * The plan for one request to {@code route}: its attempts in the order {@link AttemptOrder} gives, after the one
   * {@code session} is bound to when {@code routing.session-affinity} is on.
   *
   * @param session the request's session, or {@code null}
   */
  public static RoutePlan create(ModelRoute route, RoutingTable table, RoutingConfig routing,
      RetryPolicy policy, RoutingState state, boolean stream, ClientSession session) {
    AttemptOrder order = AttemptOrder.of(route, table, routing, state);
    SessionAffinity affinity = routing.sessionAffinity() ? SessionAffinity.of(state.sessions(), route.id(), session,
        routing.sessionAffinityTtl(), order.all()) : SessionAffinity.NONE;
    return new RoutePlan(route, policy, state.cooldowns(), order, affinity, stream);
  }

  /** The next thing to do. Call again after a {@link PlanStep.Wait}, or after reporting a failure. */
  public PlanStep next() {
    if (!preferredOffered) {
      preferredOffered = true;
      Attempt bound = affinity.preferred();
      if (bound != null && isAvailable(bound)) {
        triedFirst = bound;
        return tryNow(bound);
      }
    }
    while (true) {
      while (cursor < order.size()) {
        Attempt a = order.get(cursor++);
        if (a == triedFirst && round == 0) {
          continue;
        }
        if (isAvailable(a)) {
          return tryNow(a);
        }
      }
      PlanStep end = endOfRound();
      if (end != null) {
        return end;
      }
    }
  }

  /** Whether {@code a} may be tried now: eligible in this round and not cooling (noting when it stops cooling). */
  private boolean isAvailable(Attempt a) {
    if (!isEligible(a)) {
      return false;
    }
    Instant until = cooldowns.coolingUntil(a.credential(), a.upstreamModel());
    if (until != null) {
      earliestCoolingEnd = earliestCoolingEnd == null || until.isBefore(earliestCoolingEnd) ? until
          : earliestCoolingEnd;
      return false;
    }
    return true;
  }

  private PlanStep.Try tryNow(Attempt a) {
    keysThisRound.add(a.credential().id());
    attempts++;
    return new PlanStep.Try(a);
  }

  /** A provider takes part in rounds 0..its own request-retry (plus bootstrap rounds for streams). */
  private boolean takesPartInRound(Attempt a) {
    return round <= policy.requestRetry(a.credential().provider()) + bootstrapRounds;
  }

  private boolean isEligible(Attempt a) {
    if (!takesPartInRound(a)) {
      return false;
    }
    int max = policy.maxRetryCredentials();
    return max <= 0 || keysThisRound.size() < max || keysThisRound.contains(a.credential().id());
  }

  /** Returns the step that ends this round, or {@code null} after starting the next round at once. */
  private PlanStep endOfRound() {
    Instant now = cooldowns.now();
    if (attempts == 0) {
      return noneTried(now);
    }
    if (round + 1 >= maxRounds || !isRetryable(lastFailure)) {
      return giveUp(lastFailure);
    }
    round++;
    cursor = 0;
    keysThisRound.clear();
    Instant earliest = earliestAvailable(now);
    if (earliest == null) {
      return giveUp(lastFailure);
    }
    Duration wait = Duration.between(now, earliest);
    if (wait.isNegative() || wait.isZero()) {
      return null;
    }
    if (wait.compareTo(policy.maxRetryInterval()) > 0) {
      return giveUp(lastFailure);
    }
    // Timers and the clock may disagree by a few milliseconds; waking a little late never finds the
    // candidate still cooling and giving up for nothing.
    return new PlanStep.Wait(wait.plus(WAKE_UP_MARGIN));
  }

  /** The soonest instant any candidate eligible in the current round can be tried (now if one is free). */
  private Instant earliestAvailable(Instant now) {
    Instant best = null;
    for (Attempt a : order.all()) {
      if (!takesPartInRound(a)) {
        continue;
      }
      Instant until = cooldowns.coolingUntil(a.credential(), a.upstreamModel());
      Instant at = until == null ? now : until;
      best = best == null || at.isBefore(best) ? at : best;
    }
    return best;
  }

  private PlanStep noneTried(Instant now) {
    if (order.size() == 0 || earliestCoolingEnd == null) {
      return new PlanStep.GiveUp(503, null, new PlanStep.NoKeys(route.id()));
    }
    long seconds = Math.max(1, (Duration.between(now, earliestCoolingEnd).toMillis() + 999) / 1000);
    boolean rateLimited = false;
    for (Attempt a : order.all()) {
      rateLimited |= cooldowns.coolsForRateLimit(a.credential(), a.upstreamModel());
    }
    // Only a 429 makes this the client's rate limit; an unreachable or failing provider is unavailable.
    PlanStep.Cause cause = rateLimited ? PlanStep.Cause.RATE_LIMITED : PlanStep.Cause.UNAVAILABLE;
    return new PlanStep.GiveUp(rateLimited ? 429 : 503, Duration.ofSeconds(seconds),
        new PlanStep.Cooling(route.id(), seconds, cause));
  }

  private static boolean isRetryable(UpstreamFailure f) {
    return f != null && (f.kind() == FailureKind.RATE_LIMIT || f.kind() == FailureKind.TRANSIENT);
  }

  private PlanStep giveUp(UpstreamFailure f) {
    // A wait helps after a rate limit, and when the gateway itself was full; after other failures it would mislead.
    Duration retryAfter = f.kind() == FailureKind.RATE_LIMIT || f.kind() == FailureKind.GATEWAY_BUSY ? f.retryAfter() : null;
    if (retryAfter == null && f.kind() == FailureKind.RATE_LIMIT) {
      retryAfter = lastRateLimitRest; // the upstream named no wait: the rest the gateway gave the key is one
    }
    return new PlanStep.GiveUp(f.status(), retryAfter, new PlanStep.LastFailure(f));
  }

  /**
   * Records a success: clears the model's cooldown on that key, and binds the request's session to it.
   *
   * @return what that did to the session's binding; {@code null} when affinity is off or the request names no session
   */
  public AffinityOutcome onSuccess(Attempt attempt) {
    cooldowns.succeeded(attempt.credential(), attempt.upstreamModel());
    return affinity.answeredBy(attempt);
  }

  /**
   * Records a failure and its cooldown. Returns true when the request must end now with this failure
   * (a request fault, a client that went away, or a provider rule that says stop); otherwise call
   * {@link #next()}.
   */
  public boolean onFailure(Attempt attempt, UpstreamFailure failure) {
    lastFailure = failure;
    if (failure.action() != null) {
      if (failure.action().cools()) {
        coolDown(attempt, failure);
      }
      return failure.action().stops();
    }
    if (failure.kind() == FailureKind.REQUEST_FAULT || failure.kind() == FailureKind.CLIENT_GONE
        || failure.kind() == FailureKind.GATEWAY_BUSY) {
      return true;
    }
    if (!policy.coolingDisabled(attempt.credential().provider())) {
      coolDown(attempt, failure);
    }
    return false;
  }

  /**
   * The cooldown a failure's kind calls for; a request fault or a departed client cools only when a
   * provider rule asks for it, and then as briefly as a transient failure.
   */
  private void coolDown(Attempt attempt, UpstreamFailure failure) {
    Credential key = attempt.credential();
    String model = attempt.upstreamModel();
    String reason = failure.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + failure.describe()
        + (failure.action() == null ? ")" : ", rule " + failure.action().name().toLowerCase(Locale.ROOT) + ")");
    switch (failure.kind()) {
      case KEY_FAULT -> cooldowns.coolKey(key, policy.keyFaultCooldown(), reason);
      case RATE_LIMIT -> lastRateLimitRest = cooldowns.rateLimited(key, model, failure.retryAfter(), reason);
      case MODEL_GONE -> cooldowns.coolModel(key, model, policy.keyFaultCooldown(), reason);
      case TRANSIENT, REQUEST_FAULT, CLIENT_GONE -> cooldowns.coolModel(key, model, policy.transientCooldown(), reason);
      case GATEWAY_BUSY -> { } // our own limit: never the key's fault, even when a rule asks to cool
    }
  }

  /** The final answer for a request that ended on {@code failure} (see {@link #onFailure}). */
  public PlanStep.GiveUp finalAnswer(UpstreamFailure failure) {
    return (PlanStep.GiveUp) giveUp(failure);
  }

  public int attempts() {
    return attempts;
  }
}
