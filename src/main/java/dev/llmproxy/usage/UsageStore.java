package dev.llmproxy.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Where usage records last: an embedded or server database, or memory. Only the {@link UsageWriter}'s
 * thread appends (batches, off the request path); management reads reports. Implementations are
 * thread-safe and may block (they do I/O); none is ever called on a request's thread.
 */
public interface UsageStore extends AutoCloseable {

  /**
   * Gets the store ready (schema migrations); idempotent, and cheap once it succeeded. Called by the
   * writer's thread before its first batch and again after a failure.
   *
   * @throws UsageStoreException when the database cannot be reached or migrated
   */
  void prepare();

  /** Stores a batch as a whole or not at all. @throws UsageStoreException when it could not */
  void append(List<UsageRecord> batch);

  /** The records of the days {@code from} to {@code to} (inclusive), grouped. @throws UsageStoreException */
  UsageReport report(LocalDate from, LocalDate to, UsageGrouping groupBy);

  /**
   * The tokens {@code client}'s records (as {@link UsageRecord#client()} names it) report from {@code from}
   * (inclusive) to {@code before} (exclusive), per model and provider, in no particular order. The memory store keeps
   * sums per day, so it counts whole UTC days, {@code from}'s through {@code before}'s; the SQL store keeps rows per
   * minute, so it counts whole minutes the same way. @throws UsageStoreException
   */
  List<ModelTokens> clientTokens(String client, Instant from, Instant before);

  /** Where the records go, for the logs: {@code embedded H2 at /data/usage}, never a password. */
  String describe();

  /** Releases what the store opened (a pool), not what it was given (a container's DataSource). */
  @Override
  void close();
}
