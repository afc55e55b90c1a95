package dev.llmproxy.state;

import dev.llmproxy.management.InMemoryLoginFailures;
import dev.llmproxy.management.LoginFailures;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link LoginFailures} shared through Redis: the policy runs in Redis ({@link LoginFailureScripts}), atomically for
 * the fleet, so wrong keys through any mix of instances add up to one lock per client address ({@code
 * <prefix>login:client:<address>}) and one for everyone ({@code <prefix>login:total}), and checks pending on one
 * instance hold back parallel guesses on the others.
 *
 * <p>A management request waits on Redis at most {@code state.redis-timeout} per command (this is the management
 * path, never the data path); a right key clears its client's tally in Redis before its request goes on, so the
 * owner's next call through any instance finds no lock. While Redis is down, slow or not yet reached, checks are admitted and counted by this
 * instance's {@link InMemoryLoginFailures}, never let through unlimited; when Redis answers again, the failures
 * counted meanwhile are added to Redis's tallies (a lock made here during the outage holds everywhere after it). A
 * failure whose report to Redis timed out is counted here as well, and may then count twice (the safe side). Checks
 * pending elsewhere are waited for by asking again every {@link #POLL} (sooner after a report here), at most {@link
 * LoginFailures#MAX_WAIT}. Times are this instance's clock: instances should agree within a second (NTP), or pauses
 * are off by the difference. Thread-safe.
 */
public final class RedisLoginFailures implements LoginFailures {
  static final Duration POLL = Duration.ofMillis(50);
  /** How long a check counts as pending when its instance never reports it (it stopped, or lost Redis). */
  static final Duration PENDING_TTL = Duration.ofSeconds(15);
  /** The mark of a check admitted by the local fallback. */
  private static final String LOCAL = "";

  private final RedisConnections redis;
  private final InMemoryLoginFailures local;
  private final Clock clock;
  private final Duration timeout;
  private final Duration maxWait;
  private final String clientPrefix;
  private final String totalKey;
  private final String origin = UUID.randomUUID().toString();
  private final AtomicLong checks = new AtomicLong();
  /**
   * Per client, the checks admitted and not yet reported: Redis's check ids, or {@link #LOCAL}. Each deque is touched
   * only inside the map's atomic compute for its client.
   */
  private final ConcurrentMap<String, Deque<String>> admitted = new ConcurrentHashMap<>();
  /** Waiters for pending checks; notified on every report here. */
  private final Object reports = new Object();
  private volatile Duration lastLockout;

  public RedisLoginFailures(RedisConnections redis, String keyPrefix, Duration timeout, InMemoryLoginFailures local,
      Clock clock) {
    this(redis, keyPrefix, timeout, local, clock, MAX_WAIT);
  }

  RedisLoginFailures(RedisConnections redis, String keyPrefix, Duration timeout, InMemoryLoginFailures local,
      Clock clock, Duration maxWait) {
    this.redis = redis;
    this.local = local;
    this.clock = clock;
    this.timeout = timeout;
    this.maxWait = maxWait;
    this.clientPrefix = keyPrefix + "login:client:";
    this.totalKey = keyPrefix + "login:total";
    redis.onUp(this::handOver);
  }

  @Override
  public Admission admit(String client, Duration lockout) {
    if (lockout.isZero()) {
      return admitLocally(client, lockout); // nothing to share: it never refuses
    }
    lastLockout = lockout;
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (redis.isUp()) {
      String id = origin + ":" + checks.incrementAndGet();
      List<Object> reply;
      try {
        reply = await(redis.call(c -> c.eval(LoginFailureScripts.ADMIT, ScriptOutputType.MULTI, keys(client),
            millis(clock.millis()), millis(lockout.toMillis()), Integer.toString(MAX_PER_CLIENT),
            Integer.toString(MAX_TOTAL), id, millis(PENDING_TTL.toMillis()), millis(FIRST_PAUSE.toMillis()))));
      } catch (Unanswered e) {
        release(client, id, false); // in case Redis admitted it after all
        break;
      }
      switch (String.valueOf(reply.get(0))) {
        case "check" -> {
          push(client, id);
          return new Check(flag(reply.get(1)));
        }
        case "refused" -> {
          return Refused.after(Duration.ofMillis(((Number) reply.get(1)).longValue()), flag(reply.get(2)));
        }
        default -> {
          if (System.nanoTime() >= deadline) {
            return new Refused(FIRST_PAUSE, flag(reply.get(1)));
          }
          awaitReport();
        }
      }
    }
    return admitLocally(client, lockout);
  }

  private Admission admitLocally(String client, Duration lockout) {
    Admission admission = local.admit(client, lockout);
    if (admission instanceof Check) {
      push(client, LOCAL);
    }
    return admission;
  }

  @Override
  public void succeeded(String client) {
    String id = pop(client);
    if (id.equals(LOCAL)) {
      local.succeeded(client);
      return;
    }
    local.cleared(client);
    try {
      // Waited for, so that the owner's next call through another instance finds the lock gone.
      await(release(client, id, true));
    } catch (Unanswered e) {
      // Its failures stay in Redis until they expire; the owner's key, known here now, needs no check here anyway.
    }
  }

  @Override
  public void cleared(String client) {
    local.cleared(client);
    if (redis.isUp()) {
      try {
        await(redis.call(c -> c.del(clientPrefix + client))); // as for succeeded
      } catch (Unanswered e) {
        // as for succeeded
      }
    }
  }

  @Override
  public Refused failed(String client, Duration lockout) {
    String id = pop(client);
    if (id.equals(LOCAL)) {
      return local.failed(client, lockout);
    }
    try {
      return standing(await(fail(client, id, 1, lockout)));
    } catch (Unanswered e) {
      return local.counted(client, 1, lockout);
    }
  }

  private CompletableFuture<List<Object>> fail(String client, String id, int failures, Duration lockout) {
    return redis.call(c -> c.eval(LoginFailureScripts.FAILED, ScriptOutputType.MULTI, keys(client),
        millis(clock.millis()), millis(lockout.toMillis()), Integer.toString(MAX_PER_CLIENT),
        Integer.toString(MAX_TOTAL), id, Integer.toString(failures), millis(FIRST_PAUSE.toMillis()),
        millis(MAX_PAUSE.toMillis())));
  }

  private static Refused standing(List<Object> reply) {
    if (!flag(reply.get(0))) {
      return null;
    }
    return Refused.after(Duration.ofMillis(((Number) reply.get(1)).longValue()), flag(reply.get(2)));
  }

  /** Redis answers again: the failures counted here meanwhile go to its tallies (back here if that fails). */
  private void handOver() {
    Duration lockout = lastLockout;
    if (lockout == null) {
      return;
    }
    local.takeFailures(lockout).forEach((client, failures) -> fail(client, LOCAL, failures, lockout)
        .exceptionally(e -> {
          local.counted(client, failures, lockout);
          return null;
        }));
  }

  private CompletableFuture<Long> release(String client, String id, boolean matched) {
    return redis.call(c -> c.<Long>eval(LoginFailureScripts.RELEASE, ScriptOutputType.INTEGER,
        new String[] {clientPrefix + client, clientPrefix + client + ":pending", totalKey + ":pending"}, id,
        matched ? "1" : "0"));
  }

  private String[] keys(String client) {
    return new String[] {clientPrefix + client, clientPrefix + client + ":pending", totalKey, totalKey + ":pending"};
  }

  private void push(String client, String id) {
    admitted.compute(client, (c, ids) -> {
      Deque<String> all = ids == null ? new ArrayDeque<>() : ids;
      all.add(id);
      return all;
    });
  }

  /**
   * One check of {@code client} admitted here, now reported: which one does not matter, as the checks of one client
   * are alike. A report without an admission (a caller's bug) goes to the local store.
   */
  private String pop(String client) {
    String[] id = {LOCAL};
    admitted.computeIfPresent(client, (c, ids) -> {
      id[0] = ids.poll();
      return ids.isEmpty() ? null : ids;
    });
    synchronized (reports) {
      reports.notifyAll();
    }
    return id[0];
  }

  private void awaitReport() {
    synchronized (reports) {
      try {
        reports.wait(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Redis's answer within {@code state.redis-timeout}, or {@link Unanswered}. */
  private <T> T await(CompletableFuture<T> reply) {
    try {
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unanswered();
    } catch (ExecutionException | TimeoutException e) {
      throw new Unanswered();
    }
  }

  /** Redis did not answer (in time); the caller falls back to the local store. */
  private static final class Unanswered extends RuntimeException {
    Unanswered() {
      super(null, null, false, false);
    }
  }

  private static boolean flag(Object value) {
    return ((Number) value).longValue() != 0;
  }

  private static String millis(long millis) {
    return Long.toString(millis);
  }
}
