package dev.llmproxy.usage;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link UsageCounters} in this process: per client (as the logs name it: {@code key sk-a...1234},
 * {@code user alice}, {@code anonymous}) and model id, the requests and how they ended, and the tokens
 * the upstreams reported, and what they were charged. A restart or redeploy starts a new period. Thread-safe (one adder per counter).
 */
public final class MemoryUsageCounters implements UsageCounters {
  private record Key(String client, String model) {}

  private static final class Counters {
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder cancelled = new LongAdder();
    final LongAdder prompt = new LongAdder();
    final LongAdder completion = new LongAdder();
    final LongAdder cached = new LongAdder();
    final LongAdder reasoning = new LongAdder();
    final LongAdder total = new LongAdder();
    final LongAdder cost = new LongAdder();
    final LongAdder estimated = new LongAdder();
  }

  private final Clock clock;
  private final ConcurrentMap<Key, Counters> counters = new ConcurrentHashMap<>();
  private volatile Instant since;

  public MemoryUsageCounters(Clock clock) {
    this.clock = clock;
    this.since = clock.instant();
  }

  @Override
  public Instant since() {
    return since;
  }

  @Override
  public void reset() {
    since = clock.instant();
    counters.clear();
  }

  @Override
  public void record(UsageRecord r) {
    Counters c = counters.computeIfAbsent(new Key(r.client(), r.model()), k -> new Counters());
    switch (r.outcome()) {
      case SUCCEEDED -> c.succeeded.increment();
      case FAILED -> c.failed.increment();
      case CANCELLED -> c.cancelled.increment();
    }
    c.prompt.add(r.promptTokens());
    c.completion.add(r.completionTokens());
    c.cached.add(r.cachedTokens());
    c.reasoning.add(r.reasoningTokens());
    c.total.add(r.totalTokens());
    c.cost.add(r.costNanoDollars());
    if (r.estimated()) {
      c.estimated.increment();
    }
  }

  @Override
  public List<Row> snapshot() {
    List<Row> rows = new ArrayList<>();
    counters.forEach((k, c) -> {
      long ok = c.succeeded.sum();
      long failed = c.failed.sum();
      long cancelled = c.cancelled.sum();
      rows.add(new Row(k.client(), k.model(), new UsageTotals(ok + failed + cancelled, ok, failed, cancelled,
          c.prompt.sum(), c.completion.sum(), c.cached.sum(), c.reasoning.sum(), c.total.sum(), c.cost.sum(), c.estimated.sum())));
    });
    rows.sort(Comparator.comparing(Row::client).thenComparing(Row::model));
    return rows;
  }
}
