package dev.llmproxy.state;

import dev.llmproxy.state.UsageRows.Key;
import dev.llmproxy.usage.MemoryUsageCounters;
import dev.llmproxy.usage.UsageCounters;
import dev.llmproxy.usage.UsageRecord;
import dev.llmproxy.usage.UsageTotals;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link UsageCounters} of the whole fleet, through Redis. The period is Redis's ({@code <prefix>usage:period}: an id
 * and when it started); each instance keeps what it counted in the period in a hash of its own ({@code
 * <prefix>usage:<period>:<instance>}, listed in {@code <prefix>usage:<period>:instances}), and the fleet's counters are
 * their sum. A request only counts in memory here ({@link #record} never touches Redis); every {@link #WRITE_EVERY}
 * the rows that changed are written to Redis in one script, as totals rather than increments, so a write that timed
 * out and is sent again never counts twice. A read ({@code GET /v0/management/usage}) sums the other instances' hashes,
 * waiting at most {@code state.redis-timeout}, and adds this instance's own counts from memory, so they are always
 * current; while Redis does not answer it adds them to the other instances' rows as last read.
 *
 * <p>A {@link #reset} starts a new period in Redis, deleting the old one's hashes; every other instance notices at its
 * next write or read and counts what it had not yet written in the new period (requests that end around a reset may
 * land on either side). A reset while Redis is down is applied when it is back. When Redis comes back empty (restarted
 * without persistence) the instances write the period they knew and all of their counts in it again. Not recovered:
 * the counts of instances that stopped meanwhile. Thread-safe: one monitor guards the period and what was written,
 * never held across I/O.
 */
public final class RedisUsageCounters implements UsageCounters, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisUsageCounters.class);
  static final Duration WRITE_EVERY = Duration.ofMillis(250);

  /** A counting period: its id and when it started (to the millisecond, as Redis keeps it). */
  record Period(String id, Instant since) {
    static Period start(Clock clock) {
      return new Period(UUID.randomUUID().toString(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    static Period parse(Object text) {
      String[] parts = String.valueOf(text).split(" ", 2);
      return new Period(parts[0], Instant.ofEpochMilli(Long.parseLong(parts[1])));
    }

    String text() {
      return id + " " + since.toEpochMilli();
    }
  }

  /** A write on its way: the rows, and what it was made from. */
  private record Write(long generation, Period period, boolean reset, boolean all, Map<Key, UsageTotals> rows) {}

  private final RedisConnections redis;
  private final Duration timeout;
  private final Clock clock;
  private final String periodKey;
  private final String prefix;
  private final String instance = UUID.randomUUID().toString();
  /** Everything counted here since startup, never reset: this instance's share of the period is it minus base. */
  private final MemoryUsageCounters recorded;
  private final ScheduledFuture<?> writer;
  private volatile boolean dirty;
  private volatile CompletableFuture<?> lastWrite = CompletableFuture.completedFuture(null);

  private Period period;
  /** A reset made here that Redis has not taken yet: reads answer from here until it has. */
  private boolean resetPending;
  /** What {@link #recorded} held when this instance's part of the period started. */
  private Map<Key, UsageTotals> base = Map.of();
  /** This instance's rows as Redis holds them. */
  private Map<Key, UsageTotals> written = new HashMap<>();
  /** The next write sends every row: the first one, and after a change of period or a Redis that lost them. */
  private boolean writeAll = true;
  private boolean writing;
  /** Changes with the period here: the answer to a write or read sent before is out of date. */
  private long generation;
  /** The other instances' rows at the last read. */
  private Map<Key, UsageTotals> others = Map.of();

  public RedisUsageCounters(RedisConnections redis, String keyPrefix, Duration timeout, Clock clock,
      ScheduledExecutorService scheduler) {
    this.redis = redis;
    this.timeout = timeout;
    this.clock = clock;
    this.prefix = keyPrefix + "usage:";
    this.periodKey = prefix + "period";
    this.recorded = new MemoryUsageCounters(clock);
    this.period = Period.start(clock);
    redis.onUp(this::rewrite);
    this.writer = scheduler.scheduleWithFixedDelay(this::writeQuietly, WRITE_EVERY.toMillis(), WRITE_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void record(UsageRecord record) {
    recorded.record(record);
    if (!dirty) {
      dirty = true;
    }
  }

  @Override
  public synchronized Instant since() {
    return period.since();
  }

  @Override
  public void reset() {
    synchronized (this) {
      base = UsageRows.of(recorded.snapshot());
      written = new HashMap<>();
      others = Map.of();
      period = Period.start(clock);
      resetPending = true;
      writeAll = true;
      generation++;
    }
    write();
  }

  @Override
  public List<Row> snapshot() {
    readOthers();
    synchronized (this) {
      return UsageRows.toRows(UsageRows.plus(others, mine()));
    }
  }

  private Map<Key, UsageTotals> mine() {
    return UsageRows.minus(UsageRows.of(recorded.snapshot()), base);
  }

  private void readOthers() {
    long seen;
    synchronized (this) {
      if (resetPending || !redis.isUp()) {
        return;
      }
      seen = generation;
    }
    List<Object> reply;
    try {
      reply = redis.call(c -> c.<List<Object>>eval(UsageScripts.READ, ScriptOutputType.MULTI, new String[] {periodKey}, prefix,
          instance)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException | TimeoutException e) {
      return; // the rows of the last read will do
    }
    synchronized (this) {
      // Empty: Redis lost the period; the instances write it again within a moment, meanwhile the last read holds.
      if (seen == generation && !resetPending && !reply.isEmpty()) {
        Period current = Period.parse(reply.get(0));
        if (!current.equals(period)) {
          adopt(current);
        }
        others = UsageRows.parse(reply, 1);
      }
    }
  }

  /** Another instance started {@code current}: what was not yet written here counts in it. */
  private void adopt(Period current) {
    base = UsageRows.plus(base, written);
    written = new HashMap<>();
    others = Map.of();
    period = current;
    writeAll = true;
    generation++;
  }

  /** Redis answers again, perhaps empty after a restart: every row goes again. */
  private synchronized void rewrite() {
    writeAll = true;
  }

  private void writeQuietly() {
    try {
      write();
    } catch (RuntimeException e) {
      LOG.error("Writing usage counters to Redis failed", e);
    }
  }

  /** Sends the rows that changed (all of them when {@link #writeAll}); completes when Redis answered, or at once. */
  private CompletableFuture<?> write() {
    Write w;
    synchronized (this) {
      if (writing || !redis.isUp() || !(dirty || writeAll || resetPending)) {
        return lastWrite;
      }
      dirty = false;
      Map<Key, UsageTotals> mine = mine();
      w = new Write(generation, period, resetPending, writeAll, writeAll ? mine : UsageRows.changed(mine, written));
      if (!w.all() && w.rows().isEmpty()) {
        return lastWrite;
      }
      writing = true;
    }
    List<String> args = new ArrayList<>(List.of(prefix, w.period().text(), instance, w.reset() ? "1" : "0",
        w.all() ? "1" : "0"));
    args.addAll(UsageRows.toFields(w.rows()));
    CompletableFuture<?> done = redis.call(c -> c.<List<Object>>eval(UsageScripts.WRITE, ScriptOutputType.MULTI,
        new String[] {periodKey}, args.toArray(String[]::new))).handle((reply, failure) -> {
          written(w, reply, failure);
          return null;
        });
    lastWrite = done;
    return done;
  }

  private synchronized void written(Write w, List<Object> reply, Throwable failure) {
    writing = false;
    if (w.generation() != generation) {
      return; // the period changed here meanwhile
    }
    if (failure != null) {
      dirty = true; // the same rows, or newer, go again
      return;
    }
    switch (String.valueOf(reply.get(0))) {
      case "ok" -> {
        if (w.all()) {
          written = new HashMap<>(w.rows());
        } else {
          written.putAll(w.rows());
        }
        writeAll = false;
        if (w.reset()) {
          resetPending = false;
        }
      }
      case "lost" -> writeAll = true;
      default -> adopt(Period.parse(reply.get(1)));
    }
  }

  /** Stops writing, after a last write of what is counted (waiting at most twice {@code state.redis-timeout}). */
  @Override
  public void close() {
    writer.cancel(false);
    try {
      lastWrite.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      write().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.info("The last usage counts of this instance did not reach Redis: {}", RedisHealth.describe(e));
    }
  }
}
