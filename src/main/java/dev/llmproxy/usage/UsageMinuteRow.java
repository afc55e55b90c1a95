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
 * One row of the SQL store: the requests of one minute that share client, model, provider, dialect, endpoint,
 * outcome and status, with their tokens and durations summed. A batch of a busy minute becomes a handful of rows
 * instead of one per request: the writer's transaction stays a fraction of a millisecond however many requests
 * passed (on two cores, every millisecond the writer runs delayed the requests that woke meanwhile), and the
 * table grows with the mix of traffic rather than its volume. Immutable.
 *
 * @param minute the start of the UTC minute the requests ended in
 * @param requests how many requests this row sums (at least 1)
 * @param durationMillis their durations, summed
 */
record UsageMinuteRow(Instant minute, String client, String model, String provider, String dialect, String endpoint,
    RequestOutcome outcome, int status, long requests, long promptTokens, long completionTokens, long cachedTokens,
    long reasoningTokens, long totalTokens, long durationMillis) {

  private record Key(Instant minute, String client, String model, String provider, String dialect, String endpoint,
      RequestOutcome outcome, int status) {}

  /** The UTC day of the row's minute. */
  LocalDate day() {
    return LocalDate.ofInstant(minute, ZoneOffset.UTC);
  }

  /** The rows that sum {@code records}, in the order their first record came. */
  static List<UsageMinuteRow> rollUp(List<UsageRecord> records) {
    Map<Key, UsageMinuteRow> rows = new LinkedHashMap<>();
    for (UsageRecord r : records) {
      Instant minute = r.time().truncatedTo(ChronoUnit.MINUTES);
      UsageMinuteRow one = new UsageMinuteRow(minute, r.client(), r.model(), r.provider(), r.dialect(), r.endpoint(),
          r.outcome(), r.status(), 1, r.promptTokens(), r.completionTokens(), r.cachedTokens(), r.reasoningTokens(),
          r.totalTokens(), r.durationMillis());
      rows.merge(new Key(minute, r.client(), r.model(), r.provider(), r.dialect(), r.endpoint(), r.outcome(),
          r.status()), one, UsageMinuteRow::plus);
    }
    return new ArrayList<>(rows.values());
  }

  private UsageMinuteRow plus(UsageMinuteRow o) {
    return new UsageMinuteRow(minute, client, model, provider, dialect, endpoint, outcome, status,
        requests + o.requests, promptTokens + o.promptTokens, completionTokens + o.completionTokens, cachedTokens + o.cachedTokens,
        reasoningTokens + o.reasoningTokens, totalTokens + o.totalTokens, durationMillis + o.durationMillis);
  }
}
