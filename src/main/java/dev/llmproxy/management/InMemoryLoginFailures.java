package dev.llmproxy.management;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * {@link LoginFailures} kept in this process ({@code state.store: memory}, and the fallback of the Redis store
 * while Redis does not answer). All state sits behind this object's monitor: management calls are few, and one
 * lock makes admission, the per-client counts and the total agree at every moment; an admission that must wait
 * for pending checks waits on it (at most {@code maxWait}, then it is refused), and every report wakes the
 * waiters. Memory is bounded: clients whose window passed are pruned when the table grows. Time comes from the
 * injected clock.
 */
public final class InMemoryLoginFailures implements LoginFailures {
  private static final int PRUNE_ABOVE = 10_000;

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
          return Refused.after(clientWait, false);
        }
        Duration totalWait = total.wait(now);
        if (totalWait != null) {
          return Refused.after(totalWait, true);
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
    return lockout.isZero() ? null : count(tally, 1, lockout);
  }

  /**
   * Counts {@code failures} failed checks of {@code client} that this object did not admit: checks a shared store
   * admitted and could not be told about in time. Returns where the client stands, as {@link #failed} does.
   */
  public synchronized Refused counted(String client, int failures, Duration lockout) {
    if (lockout.isZero()) {
      return null;
    }
    Instant now = clock.instant();
    Tally tally = byClient.computeIfAbsent(client, c -> new Tally());
    tally.forgetStale(now, lockout);
    total.forgetStale(now, lockout);
    notifyAll();
    return count(tally, failures, lockout);
  }

  private Refused count(Tally tally, int failures, Duration lockout) {
    Instant now = clock.instant();
    for (int i = 0; i < failures; i++) {
      boolean clientWasLocked = tally.locked();
      tally.fail(now, lockout, MAX_PER_CLIENT);
      if (!clientWasLocked || total.locked()) {
        total.fail(now, lockout, MAX_TOTAL);
      }
    }
    if (tally.locked()) {
      return Refused.after(Duration.between(now, tally.nextCheck), false);
    }
    return total.locked() ? Refused.after(Duration.between(now, total.nextCheck), true) : null;
  }

  /**
   * The failures of each client within its window, forgotten here with the locks they caused (checks pending stay):
   * for a shared store that counts them from now on.
   */
  public synchronized Map<String, Integer> takeFailures(Duration lockout) {
    Instant now = clock.instant();
    Map<String, Integer> taken = new HashMap<>();
    for (Iterator<Map.Entry<String, Tally>> it = byClient.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Tally> entry = it.next();
      Tally tally = entry.getValue();
      tally.forgetStale(now, lockout);
      if (tally.failures > 0) {
        taken.put(entry.getKey(), tally.failures);
      }
      tally.clear();
      if (tally.pending == 0) {
        it.remove();
      }
    }
    total.clear();
    notifyAll();
    return taken;
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
