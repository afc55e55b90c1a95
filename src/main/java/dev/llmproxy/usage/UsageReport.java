package dev.llmproxy.usage;

import java.time.LocalDate;
import java.util.List;

/**
 * The durable usage of a period of days, grouped: what {@code GET /v0/management/usage?from&to&group-by}
 * answers. Immutable.
 *
 * @param from first day (UTC), inclusive
 * @param to last day (UTC), inclusive
 * @param rows one per key, sorted by key (days ascending)
 * @param totals the sum of every row
 */
public record UsageReport(LocalDate from, LocalDate to, UsageGrouping groupBy, List<Row> rows, UsageTotals totals) {

  /** The usage of one key: a client, model, provider or day ({@code YYYY-MM-DD}). */
  public record Row(String key, UsageTotals totals) {}

  public UsageReport {
    rows = List.copyOf(rows);
  }

  /** A report of {@code rows} in any order: sorts them and sums the totals. */
  public static UsageReport of(LocalDate from, LocalDate to, UsageGrouping groupBy, List<Row> rows) {
    List<Row> sorted = rows.stream().sorted(java.util.Comparator.comparing(Row::key)).toList();
    UsageTotals totals = UsageTotals.ZERO;
    for (Row row : sorted) {
      totals = totals.plus(row.totals());
    }
    return new UsageReport(from, to, groupBy, sorted, totals);
  }
}
