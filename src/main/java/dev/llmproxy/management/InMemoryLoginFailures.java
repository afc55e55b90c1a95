package dev.llmproxy.management;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * {@link LoginFailures} kept in this process. All state sits behind this object's monitor: management
 * calls are few, and one lock makes admission, the per-client counts and the total agree at every
 * moment; an admission that must wait for pending checks waits on it (at most {@code maxWait}, then it
 * is refused), and every report wakes the waiters. Memory is bounded: clients whose window passed are pruned when the table grows. Time comes
 * from the injected clock.
 */
public final class InMemoryLoginFailures implements LoginFailures {
  private static final int PRUNE_ABOVE = 10_000;
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

  /** How long a check may wait for pending ones to decide, at most a few bcrypt checks in practice. */
  private static final Duration MAX_WAIT = Duration.ofSeconds(5);

  private final Clock clock;
  private final Duration maxWait;
  private final Map<String, Tally> byClient = new HashMap<>();
  private final Tally total = new Tally();

  public InMemoryLoginFailures(Clock clock) {
    this(clock, MAX_WAIT);
  }

  InMemoryLoginFailures(Clock clock, Duration maxWait) {
    this.clock = clock;
    this.maxWait = maxWait;
  }

  /** Failures in the current window, checks pending, and the lock with its throttle. */
  private static final class Tally {
    int failures;
    int pending;
    Instant lastFailure;
    Instant lockedUntil;
    Instant nextCheck;
    int failuresWhileLocked;

    void forgetStale(Instant now, Duration lockout) {
      if (lockedUntil != null && !lockedUntil.isAfter(now)) {
        clear();
      } else if (lockedUntil == null && lastFailure != null && lastFailure.plus(lockout).isBefore(now)) {
        failures = 0;
        lastFailure = null;
      }
    }

    boolean locked() {
      return lockedUntil != null;
    }

    /** Not locked, but the checks pending may lock it: a new check must wait for their outcome. */
    boolean undecided(int max) {
      return !locked() && failures + pending >= max;
    }

    /** While locked, how long until a check may start; {@code null} for now (idle and unpaused, or not locked). */
    Duration wait(Instant now) {
      if (!locked()) {
        return null;
      }
      if (pending > 0) {
        return FIRST_PAUSE;
      }
      return nextCheck.isAfter(now) ? Duration.between(now, nextCheck) : null;
    }

    void fail(Instant now, Duration lockout, int max) {
      failures++;
      lastFailure = now;
      if (locked()) {
        lockedUntil = now.plus(lockout);
        long pause = Math.min(MAX_PAUSE.toSeconds(), FIRST_PAUSE.toSeconds() << Math.min(failuresWhileLocked, 20));
        failuresWhileLocked++;
        nextCheck = now.plusSeconds(pause);
      } else if (failures >= max) {
        lockedUntil = now.plus(lockout);
        nextCheck = now; // the next check, the owner's perhaps, may run at once
      }
    }

    void clear() {
      failures = 0;
      lastFailure = null;
      lockedUntil = null;
      nextCheck = null;
      failuresWhileLocked = 0;
    }
  }

  @Override
  public synchronized Admission admit(String client, Duration lockout) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      Instant now = clock.instant();
      if (byClient.size() > PRUNE_ABOVE) {
        prune(now, lockout);
      }
      Tally tally = byClient.computeIfAbsent(client, c -> new Tally());
      if (!lockout.isZero()) {
        tally.forgetStale(now, lockout);
        total.forgetStale(now, lockout);
        if (tally.undecided(MAX_PER_CLIENT) || total.undecided(MAX_TOTAL)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return new Refused(FIRST_PAUSE, !tally.undecided(MAX_PER_CLIENT));
          }
          waitNanos(left);
          continue;
        }
        Duration clientWait = tally.wait(now);
        if (clientWait != null) {
          return new Refused(atLeastOneSecond(clientWait), false);
        }
        Duration totalWait = total.wait(now);
        if (totalWait != null) {
          return new Refused(atLeastOneSecond(totalWait), true);
        }
      }
      tally.pending++;
      total.pending++;
      return new Check(tally.locked() || total.locked());
    }
  }

  private void waitNanos(long nanos) {
    try {
      wait(Math.max(1, nanos / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void cleared(String client) {
    Tally tally = byClient.get(client);
    if (tally != null) {
      tally.clear();
      notifyAll();
    }
  }

  @Override
  public synchronized void succeeded(String client) {
    total.pending--;
    Tally tally = byClient.get(client);
    tally.pending--;
    tally.clear();
    if (tally.pending == 0) {
      byClient.remove(client);
    }
    notifyAll();
  }

  @Override
  public synchronized Refused failed(String client, Duration lockout) {
    total.pending--;
    Tally tally = byClient.get(client);
    tally.pending--;
    notifyAll();
    if (lockout.isZero()) {
      return null;
    }
    Instant now = clock.instant();
    boolean clientWasLocked = tally.locked();
    tally.fail(now, lockout, MAX_PER_CLIENT);
    if (!clientWasLocked || total.locked()) {
      total.fail(now, lockout, MAX_TOTAL);
    }
    if (tally.locked()) {
      return new Refused(atLeastOneSecond(Duration.between(now, tally.nextCheck)), false);
    }
    return total.locked() ? new Refused(atLeastOneSecond(Duration.between(now, total.nextCheck)), true) : null;
  }

  private static Duration atLeastOneSecond(Duration d) {
    long seconds = d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
    return Duration.ofSeconds(Math.max(1, seconds));
  }

  private void prune(Instant now, Duration lockout) {
    for (Iterator<Tally> it = byClient.values().iterator(); it.hasNext(); ) {
      Tally tally = it.next();
      tally.forgetStale(now, lockout);
      if (tally.pending == 0 && tally.failures == 0 && !tally.locked()) {
        it.remove();
      }
    }
  }
}
