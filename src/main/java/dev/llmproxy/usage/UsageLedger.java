package dev.llmproxy.usage;

import dev.llmproxy.auth.ClientIdentity;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what each client asked for since the gateway started: per client (as the logs name it:
 * {@code key sk-a...1234}, {@code user alice}, {@code anonymous}) and model id, the requests and how
 * they ended, and the tokens the upstreams reported. In memory only; a restart or redeploy starts
 * again. Thread-safe (one adder per counter).
 */
public final class UsageLedger {
  /** How a request ended for its client. */
  public enum Outcome { SUCCEEDED, FAILED, CANCELLED }

  /** One client's use of one model, at the time of the snapshot. */
  public record Row(String client, String model, long requests, long succeeded, long failed, long cancelled,
      long promptTokens, long completionTokens, long totalTokens) {}

  private record Key(String client, String model) {}

  private static final class Counters {
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder cancelled = new LongAdder();
    final LongAdder prompt = new LongAdder();
    final LongAdder completion = new LongAdder();
    final LongAdder total = new LongAdder();
  }

  private final Clock clock;
  private final ConcurrentMap<Key, Counters> counters = new ConcurrentHashMap<>();
  private volatile Instant since;

  public UsageLedger(Clock clock) {
    this.clock = clock;
    this.since = clock.instant();
  }

  /** When counting started: at startup, or at the last {@link #reset()}. */
  public Instant since() {
    return since;
  }

  /**
   * Starts counting again, for a billing period. Requests that end during the reset may land on either
   * side of it.
   */
  public void reset() {
    since = clock.instant();
    counters.clear();
  }

  /** Records one request; {@code tokens} may be {@code null} when the upstream reported none. */
  public void record(ClientIdentity client, String model, Outcome outcome, TokenUsage tokens) {
    Counters c = counters.computeIfAbsent(new Key(client.toString(), model), k -> new Counters());
    switch (outcome) {
      case SUCCEEDED -> c.succeeded.increment();
      case FAILED -> c.failed.increment();
      case CANCELLED -> c.cancelled.increment();
    }
    if (tokens != null) {
      c.prompt.add(tokens.prompt());
      c.completion.add(tokens.completion());
      c.total.add(tokens.total());
    }
  }

  /** Every client and model seen, sorted by client, then model. */
  public List<Row> snapshot() {
    List<Row> rows = new ArrayList<>();
    counters.forEach((k, c) -> {
      long ok = c.succeeded.sum();
      long failed = c.failed.sum();
      long cancelled = c.cancelled.sum();
      rows.add(new Row(k.client(), k.model(), ok + failed + cancelled, ok, failed, cancelled, c.prompt.sum(),
          c.completion.sum(), c.total.sum()));
    });
    rows.sort(Comparator.comparing(Row::client).thenComparing(Row::model));
    return rows;
  }
}
