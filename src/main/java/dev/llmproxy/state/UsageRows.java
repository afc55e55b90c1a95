package dev.llmproxy.state;

import dev.llmproxy.usage.UsageCounters;
import dev.llmproxy.usage.UsageTotals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage counters as maps from client and model to totals: their arithmetic, and their form in a Redis hash (one field
 * per client, model and counter, {@code <client> US <model> US <counter>} with the ASCII unit separator, which neither
 * a client's name nor a model id holds). Stateless; the maps it returns are new and not shared.
 */
final class UsageRows {
  private static final char SEPARATOR = '\u001f';
  private static final String[] COUNTERS = {"succeeded", "failed", "cancelled", "prompt", "completion", "cached",
      "reasoning", "total", "cost", "estimated"};

  private UsageRows() {}

  /** Whose use of which model. */
  record Key(String client, String model) {}

  static Map<Key, UsageTotals> of(List<UsageCounters.Row> rows) {
    Map<Key, UsageTotals> map = new HashMap<>();
    for (UsageCounters.Row row : rows) {
      map.put(new Key(row.client(), row.model()), row.totals());
    }
    return map;
  }

  static List<UsageCounters.Row> toRows(Map<Key, UsageTotals> map) {
    List<UsageCounters.Row> rows = new ArrayList<>();
    map.forEach((k, totals) -> rows.add(new UsageCounters.Row(k.client(), k.model(), totals)));
    rows.sort(Comparator.comparing(UsageCounters.Row::client).thenComparing(UsageCounters.Row::model));
    return rows;
  }

  /** Per row, {@code later} minus {@code earlier} (an earlier reading of the same counters); unmoved rows left out. */
  static Map<Key, UsageTotals> minus(Map<Key, UsageTotals> later, Map<Key, UsageTotals> earlier) {
    Map<Key, UsageTotals> map = new HashMap<>();
    later.forEach((k, totals) -> {
      UsageTotals difference = totals.minus(earlier.getOrDefault(k, UsageTotals.ZERO));
      if (!difference.equals(UsageTotals.ZERO)) {
        map.put(k, difference);
      }
    });
    return map;
  }

  static Map<Key, UsageTotals> plus(Map<Key, UsageTotals> a, Map<Key, UsageTotals> b) {
    Map<Key, UsageTotals> map = new HashMap<>(a);
    b.forEach((k, totals) -> map.merge(k, totals, UsageTotals::plus));
    return map;
  }

  /** The rows of {@code now} that differ from {@code before}. */
  static Map<Key, UsageTotals> changed(Map<Key, UsageTotals> now, Map<Key, UsageTotals> before) {
    Map<Key, UsageTotals> map = new HashMap<>();
    now.forEach((k, totals) -> {
      if (!totals.equals(before.get(k))) {
        map.put(k, totals);
      }
    });
    return map;
  }

  /** Hash fields and values, alternating, for {@code rows}. */
  static List<String> toFields(Map<Key, UsageTotals> rows) {
    List<String> fields = new ArrayList<>();
    rows.forEach((k, t) -> {
      long[] values = {t.succeeded(), t.failed(), t.cancelled(), t.promptTokens(), t.completionTokens(),
          t.cachedTokens(), t.reasoningTokens(), t.totalTokens(), t.costNanoDollars(),
          t.estimatedRequests()};
      for (int i = 0; i < COUNTERS.length; i++) {
        fields.add(k.client() + SEPARATOR + k.model() + SEPARATOR + COUNTERS[i]);
        fields.add(Long.toString(values[i]));
      }
    });
    return fields;
  }

  /**
   * The sum of hash fields and values, alternating in {@code fields} from index {@code from} on (several instances'
   * hashes one after the other); fields not in this form are ignored.
   */
  static Map<Key, UsageTotals> parse(List<?> fields, int from) {
    Map<Key, long[]> sums = new HashMap<>();
    for (int i = from; i + 1 < fields.size(); i += 2) {
      String field = String.valueOf(fields.get(i));
      int first = field.indexOf(SEPARATOR);
      int last = field.lastIndexOf(SEPARATOR);
      int counter = first < last ? List.of(COUNTERS).indexOf(field.substring(last + 1)) : -1;
      if (counter < 0) {
        continue;
      }
      Key key = new Key(field.substring(0, first), field.substring(first + 1, last));
      sums.computeIfAbsent(key, k -> new long[COUNTERS.length])[counter] += parseLong(fields.get(i + 1));
    }
    Map<Key, UsageTotals> map = new HashMap<>();
    sums.forEach((k, v) -> map.put(k, new UsageTotals(v[0] + v[1] + v[2], v[0], v[1], v[2], v[3], v[4], v[5], v[6],
        v[7], v[8], v[9])));
    return map;
  }

  private static long parseLong(Object value) {
    try {
      return Long.parseLong(String.valueOf(value));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
