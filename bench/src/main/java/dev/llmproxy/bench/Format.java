package dev.llmproxy.bench;

/** How the report writes numbers, so every table shows a metric the same way. */
final class Format {
  static final long MIB = 1024 * 1024;
  /** The peer's cells when nginx could not run. */
  static final String NOT_AVAILABLE = "not available";

  private Format() {}

  static String f3(double v) {
    return String.format("%.3f", v);
  }

  static String f0(double v) {
    return String.format("%.0f", v);
  }

  /** A difference in ms with its sign: "+0.012 ms", "-0.004 ms". */
  static String plusMs(double v) {
    return String.format("%+.3f ms", v);
  }

  static String pct(double ratio) {
    return String.format("%.0f%%", ratio * 100);
  }

  static String mib(long bytes) {
    return String.format("%.0f MiB", bytes / (double) MIB);
  }
}
