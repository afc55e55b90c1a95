package dev.llmproxy.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Nearest-rank percentiles, and the median over rounds that every reported number is. */
final class Percentiles {
  private Percentiles() {}

  static <T> double median(List<T> rounds, ToDoubleFunction<T> f) {
    return percentile(rounds.stream().mapToDouble(f).toArray(), 50);
  }

  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
