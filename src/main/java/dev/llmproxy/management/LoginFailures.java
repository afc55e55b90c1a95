package dev.llmproxy.management;

import java.time.Duration;

/**
 * The failed management key checks, per client and in total, and the throttling they cause. The
 * policy every implementation keeps, atomically (one store shared by every instance behind a load
 * balancer makes the limits hold across them):
 *
 * <ul>
 *   <li>A client has {@value #MAX_PER_CLIENT} failed checks per window (the lockout time; failures older
 *       than that are forgotten), all clients together {@value #MAX_TOTAL} (so new {@code X-Forwarded-For}
 *       values behind a trusted proxy gain nothing); reaching either locks the client, or everyone, for the
 *       lockout time, extended by each later failure. Failures of an already locked client count toward
 *       its own throttle only, so one client alone cannot lock everyone.
 *   <li>A check is admitted before it runs and counted as pending until reported: while pending plus
 *       failed checks reach a limit, a further check waits (briefly) until the pending ones tell whether
 *       the client gets locked, so parallel wrong keys never get more checks than the limit allows,
 *       while parallel right keys all get in, a few at a time.
 *   <li>Locked is throttled, not shut: one check at a time, the first at once, then after each failure
 *       a pause that doubles from 1 s to {@link #MAX_PAUSE}. A correct key therefore always gets in
 *       once it is checked, and clears its client's count.
 * </ul>
 *
 * Thread-safe. {@link InMemoryLoginFailures} keeps it in the process; {@code state.RedisLoginFailures} in Redis
 * for a fleet.
 */
public interface LoginFailures {
  int MAX_PER_CLIENT = 5;
  int MAX_TOTAL = 25;
  Duration FIRST_PAUSE = Duration.ofSeconds(1);
  Duration MAX_PAUSE = Duration.ofSeconds(60);
  /** How long a check may wait for pending ones to decide, at most a few bcrypt checks in practice. */
  Duration MAX_WAIT = Duration.ofSeconds(5);

  /** Whether a presented key may be checked now. */
  sealed interface Admission {}

  /**
   * Check the key now, then report the outcome exactly once with {@link #succeeded} or {@link #failed}.
   *
   * @param locked the client (or everyone) was locked when admitted: a failure is answered as a ban
   */
  record Check(boolean locked) implements Admission {}

  /**
   * Refused without a check: answer at once.
   *
   * @param retryAfter when a check may be admitted again (at least 1 s)
   * @param everyone the total limit refused it, not this client's own
   */
  record Refused(Duration retryAfter, boolean everyone) implements Admission {
    /** Refused for {@code wait}, rounded up to whole seconds, at least one (what {@code Retry-After} can say). */
    public static Refused after(Duration wait, boolean everyone) {
      long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
      return new Refused(Duration.ofSeconds(Math.max(1, seconds)), everyone);
    }
  }

  /** Admits or refuses a check of a key {@code client} presents; {@code lockout} zero never refuses. */
  Admission admit(String client, Duration lockout);

  /** The admitted check matched: the client's failures and lock are cleared. */
  void succeeded(String client);

  /** A key of {@code client} matched without an admitted check (known to match): its failures and lock are cleared. */
  void cleared(String client);

  /**
   * The admitted check failed. Returns where the client stands now: {@code null} when it is not locked,
   * else when its next check may run and whose limit holds it.
   */
  Refused failed(String client, Duration lockout);
}
