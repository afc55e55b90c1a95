package dev.llmproxy.usage;

/**
 * Where the relay reports each finished request ({@link UsageRecord}): counted at once in the live
 * {@link UsageCounters} and queued for the durable {@link UsageStore}. Never blocks and never does I/O
 * on the caller's thread. Thread-safe.
 */
public final class UsageRecorder {
  private final UsageCounters counters;
  private final UsageWriter writer;

  public UsageRecorder(UsageCounters counters, UsageWriter writer) {
    this.counters = counters;
    this.writer = writer;
  }

  /** Counts one finished request and queues it for the database. */
  public void record(UsageRecord record) {
    counters.record(record);
    writer.offer(record);
  }
}
