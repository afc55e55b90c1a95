package dev.llmproxy.usage;

import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes usage records off the request path and into a {@link UsageStore}: a bounded queue that requests
 * offer to without ever blocking, and one daemon thread ({@code llm-proxy-usage-writer}) that writes
 * batches of up to {@value #BATCH} records (at most half the queue), at least every {@value #IDLE_MILLIS} ms. The
 * thread first prepares the store (schema migrations), so a reachable database is migrated at startup.
 * Few, large batches: on a machine whose cores the requests use, each write delays the requests that wake
 * while it runs, so how often it runs shows in their tail latency (the SQL store sums a batch into a few rows,
 * so a large one costs about what a small one does).
 *
 * <p>A full queue drops the record, counts it ({@link #dropped()}, exported as a metric) and warns once
 * per burst (again only after the writer has caught up). A store that fails (the database is down) is
 * retried with the same batch, backing off up to 30 s, with one warning per outage; meanwhile the queue
 * fills and drops. {@link #close()} writes what it can within a bound and says how much was lost.
 *
 * <p>Thread-safety: {@link #offer} is lock-free (one atomic increment and a lock-free queue insert) and
 * may be called from any thread; the store is only called from the writer's thread.
 */
public final class UsageWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UsageWriter.class);
  static final int BATCH = 2_000;
  static final long IDLE_MILLIS = 1_000;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final UsageStore store;
  private final int capacity;
  /** Records that make a batch worth writing at once: {@link #BATCH}, or half a smaller queue. */
  private final int fullBatch;
  private final Duration closeWithin;
  private final ConcurrentLinkedQueue<UsageRecord> queue = new ConcurrentLinkedQueue<>();
  /** Records accepted since start: the sequence a flush waits for. */
  private final AtomicLong accepted = new AtomicLong();
  private final LongAdder dropped = new LongAdder();
  private final Object progress = new Object();
  private final Thread thread;
  /** Records the writer took off the queue; written by the writer thread only. */
  private volatile long taken;
  /** Records written, or given up on at close; written by the writer thread only. */
  private volatile long settled;
  private volatile boolean dropping;
  private volatile boolean failing;
  private volatile boolean stopping;

  /**
   * Starts the writer thread.
   *
   * @param capacity how many records may wait before new ones are dropped
   * @param closeWithin how long {@link #close()} may spend writing what is still queued
   */
  public UsageWriter(UsageStore store, int capacity, Duration closeWithin) {
    this.store = store;
    this.capacity = capacity;
    this.fullBatch = Math.max(1, Math.min(BATCH, capacity / 2));
    this.closeWithin = closeWithin;
    this.thread = new Thread(this::run, "llm-proxy-usage-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a record for the store; never blocks. Returns false when the queue was full and it was dropped. */
  public boolean offer(UsageRecord record) {
    long waiting = accepted.get() - settled;
    if (waiting >= capacity || stopping) {
      dropped.increment();
      if (!dropping) {
        dropping = true;
        LOG.warn("Usage records are being dropped: {} are waiting for {} (usage.queue-capacity); the count is in "
            + "llmproxy_usage_records_dropped_total", waiting, store.describe());
      }
      return false;
    }
    long seq = accepted.incrementAndGet();
    queue.offer(record);
    if (seq - taken == fullBatch) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  /** Records dropped because the queue was full, since start. */
  public long dropped() {
    return dropped.sum();
  }

  /** Records waiting in the queue now, not yet taken into a batch. */
  int depth() {
    return (int) Math.max(0, accepted.get() - taken);
  }

  /**
   * Records not yet in the store: those queued and those of the batch being written (or retried while the store does
   * not answer, which the queue alone would leave out), what {@code usage.queue-capacity} bounds.
   */
  public int unwritten() {
    return (int) Math.max(0, accepted.get() - settled);
  }

  /**
   * Waits until every record accepted before this call is in the store, at most {@code max}: a report
   * read right after then counts the requests that ended before it. Returns false when time ran out.
   * For management reads only; never call it on a request's thread.
   */
  public boolean awaitWritten(Duration max) throws InterruptedException {
    long target = accepted.get();
    long deadline = System.nanoTime() + max.toNanos();
    LockSupport.unpark(thread);
    synchronized (progress) {
      while (settled < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
    }
    return true;
  }

  private void run() {
    prepareAtStart();
    List<UsageRecord> batch = new ArrayList<>(BATCH);
    Duration backoff = Duration.ofSeconds(1);
    while (true) {
      if (batch.isEmpty()) {
        if (depth() < fullBatch && !stopping) {
          // Let the batch fill: under load, writing whatever arrived since the last write made a transaction of a
          // few dozen rows each time. A full batch (offer), a reader (awaitWritten) or close wakes this at once.
          LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS));
        }
        drain(batch);
        if (batch.isEmpty()) {
          if (stopping) {
            return;
          }
          continue;
        }
      }
      try {
        store.prepare();
        store.append(batch);
      } catch (RuntimeException e) {
        if (stopping) {
          return;
        }
        if (!failing) {
          LOG.warn("Usage records cannot be written to {} ({}); retrying, new records wait in the queue", store.describe(),
              e.getMessage());
          failing = true;
        }
        LockSupport.parkNanos(this, backoff.toNanos());
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        continue;
      }
      if (failing) {
        LOG.warn("Usage records are written to {} again", store.describe());
        failing = false;
        backoff = Duration.ofSeconds(1);
      }
      settle(batch.size());
      batch.clear();
      if (dropping && depth() < capacity / 2) {
        dropping = false;
        LOG.warn("The usage writer caught up; {} records dropped since start", dropped());
      }
    }
  }

  /**
   * Migrates the schema as soon as the gateway starts, on this thread so that a database slow to answer delays no
   * deployment: a server database would otherwise get its tables only with the first request's record. One that does
   * not answer yet is not fatal; each batch prepares the store again before it is written.
   */
  private void prepareAtStart() {
    try {
      store.prepare();
    } catch (RuntimeException e) {
      failing = true;
      if (unreachable(e)) {
        LOG.warn("The usage schema of {} cannot be migrated at startup ({}); trying again with the first records",
            store.describe(), e.getMessage());
      } else {
        // Not a database that is down: this will fail again until someone acts (a table made by hand, without
        // llmproxy_schema_history, is the usual cause), and budgets cannot be restored from the records meanwhile.
        LOG.error("The usage schema of {} cannot be migrated ({}); usage records wait in the queue and monthly budgets "
            + "start from zero until it is fixed. Tables made by hand without llmproxy_schema_history cannot be "
            + "migrated: let the gateway create them in an empty database or schema", store.describe(), e.getMessage());
      }
    }
  }

  /** Whether {@code e} says the database did not answer, rather than that it refused what was asked. */
  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
          || t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  /** True while the store refuses what the writer sends it (a database down, a schema that cannot be migrated). */
  public boolean failing() {
    return failing;
  }

  private void drain(List<UsageRecord> batch) {
    UsageRecord r;
    while (batch.size() < BATCH && (r = queue.poll()) != null) {
      batch.add(r);
    }
    taken += batch.size();
  }

  private void settle(int n) {
    synchronized (progress) {
      settled += n;
      progress.notifyAll();
    }
  }

  /**
   * Stops taking records, writes what is queued within the bound given at construction, and stops the
   * thread. Whatever could not be written is logged as lost.
   */
  @Override
  public void close() {
    stopping = true;
    LockSupport.unpark(thread);
    try {
      thread.join(closeWithin.toMillis());
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long lost = accepted.get() - settled;
    if (lost > 0) {
      LOG.warn("{} usage records could not be written to {} before shutdown and are lost", lost, store.describe());
    }
  }
}
