package dev.llmproxy.usage;

import java.time.Duration;
import java.time.LocalDate;

/**
 * Reads durable usage for management: first lets the writer put what is queued into the store (at most
 * {@value #FLUSH_WAIT_MILLIS} ms), so a report read right after some requests counts them, then asks the
 * store. Blocks (database I/O); for management threads only. Thread-safe.
 */
public final class UsageReports {
  static final long FLUSH_WAIT_MILLIS = 2_000;

  private final UsageWriter writer;
  private final UsageStore store;

  public UsageReports(UsageWriter writer, UsageStore store) {
    this.writer = writer;
    this.store = store;
  }

  /** @throws UsageStoreException when the store cannot be read */
  public UsageReport report(LocalDate from, LocalDate to, UsageGrouping groupBy) {
    try {
      writer.awaitWritten(Duration.ofMillis(FLUSH_WAIT_MILLIS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.prepare();
    return store.report(from, to, groupBy);
  }
}
