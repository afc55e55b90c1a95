package dev.llmproxy.management;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed management key checks per client address and locks an address out for the configured
 * time after {@value #MAX_FAILURES} failures; a success clears the count. Failures older than the
 * lockout window are forgotten. Memory is bounded: expired entries are pruned when the table grows.
 * Thread-safe; time comes from the injected clock.
 */
final class LoginLockout {
  static final int MAX_FAILURES = 5;
  private static final int PRUNE_ABOVE = 10_000;

  private final Clock clock;
  private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();

  private record Failures(int count, Instant last, Instant lockedUntil) {}

  LoginLockout(Clock clock) {
    this.clock = clock;
  }

  /** How long {@code address} remains locked out; zero when it may try. */
  Duration remaining(String address) {
    Failures f = byAddress.get(address);
    if (f == null || f.lockedUntil() == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), f.lockedUntil());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Records a failure; returns true when this failure locked the address out. */
  boolean onFailure(String address, Duration lockout) {
    if (lockout.isZero()) {
      return false;
    }
    Instant now = clock.instant();
    Failures updated = byAddress.compute(address, (k, f) -> {
      boolean stale = f == null || f.last().plus(lockout).isBefore(now)
          || (f.lockedUntil() != null && !f.lockedUntil().isAfter(now));
      int count = stale ? 1 : f.count() + 1;
      return new Failures(count, now, count >= MAX_FAILURES ? now.plus(lockout) : null);
    });
    if (byAddress.size() > PRUNE_ABOVE) {
      prune(now, lockout);
    }
    return updated.lockedUntil() != null && updated.count() == MAX_FAILURES;
  }

  void onSuccess(String address) {
    byAddress.remove(address);
  }

  private void prune(Instant now, Duration lockout) {
    for (Iterator<Failures> it = byAddress.values().iterator(); it.hasNext(); ) {
      Failures f = it.next();
      if (f.last().plus(lockout).isBefore(now)) {
        it.remove();
      }
    }
  }
}
