package dev.llmproxy.usage;

import java.time.Instant;
import java.util.List;

/**
 * The live usage counters of the current counting period, behind {@code GET /v0/management/usage}
 * without dates: per client and model, the requests, how they ended and the tokens reported. A
 * management {@code DELETE} starts a new period; the durable records ({@link UsageStore}) are never reset.
 * Implementations are thread-safe, and {@link #record} is cheap and never blocks (it runs on the relay's
 * threads for every request).
 */
public interface UsageCounters {

  /** One client's use of one model in the period, at the time of the snapshot. */
  record Row(String client, String model, UsageTotals totals) {}

  /** When the period started: at startup, or at the last {@link #reset()}. */
  Instant since();

  /** Starts a new period. Requests that end during the reset may land on either side of it. */
  void reset();

  /** Counts one finished request. */
  void record(UsageRecord record);

  /** Every client and model of the period, sorted by client, then model. */
  List<Row> snapshot();
}
