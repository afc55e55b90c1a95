package dev.llmproxy.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the SQL store: the requests of one minute that share client, model, provider, upstream model, dialect,
 * endpoint, outcome and status ({@link Kind}), with their totals and durations summed. A batch of a busy minute becomes a
 * handful of rows instead of one per request: the writer's transaction stays a fraction of a millisecond however
 * many requests passed (on two cores, every millisecond the writer runs delayed the requests that woke meanwhile),
 * and the table grows with the mix of traffic rather than its volume. Immutable.
 *
 * @param totals the requests this row sums ({@link UsageTotals#requests()}, at least 1), their tokens and cost
 * @param durationMillis their durations, summed
 */
record UsageMinuteRow(Kind kind, UsageTotals totals, long durationMillis) {

  /**
   * What the requests of a row share.
   *
   * @param minute the start of the UTC minute the requests ended in
   */
  record Kind(Instant minute, String client, String model, String provider, String upstreamModel, String dialect,
      String endpoint, RequestOutcome outcome, int status) {

    static Kind of(UsageRecord r) {
      return new Kind(r.time().truncatedTo(ChronoUnit.MINUTES), r.client(), r.model(), r.provider(),
          r.upstreamModel(), r.dialect(), r.endpoint(), r.outcome(), r.status());
    }

    /** The UTC day of the minute. */
    LocalDate day() {
      return LocalDate.ofInstant(minute, ZoneOffset.UTC);
    }
  }

  /** The rows that sum {@code records}, in the order their first record came. */
  static List<UsageMinuteRow> rollUp(List<UsageRecord> records) {
    Map<Kind, UsageMinuteRow> rows = new LinkedHashMap<>();
    for (UsageRecord r : records) {
      Kind kind = Kind.of(r);
      rows.merge(kind, new UsageMinuteRow(kind, UsageTotals.of(r), r.durationMillis()), UsageMinuteRow::plus);
    }
    return new ArrayList<>(rows.values());
  }

  private UsageMinuteRow plus(UsageMinuteRow o) {
    return new UsageMinuteRow(kind, totals.plus(o.totals), durationMillis + o.durationMillis);
  }
}
