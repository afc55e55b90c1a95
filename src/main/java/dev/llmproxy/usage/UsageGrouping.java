package dev.llmproxy.usage;

/** What the rows of a usage report are keyed by: the {@code group-by} of {@code /v0/management/usage}. */
public enum UsageGrouping {
  CLIENT("client"),
  MODEL("model"),
  PROVIDER("provider"),
  UPSTREAM_MODEL("upstream-model"),
  DAY("day");

  private final String label;

  UsageGrouping(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The grouping named {@code label}, or {@code null}. */
  public static UsageGrouping ofLabel(String label) {
    for (UsageGrouping g : values()) {
      if (g.label.equals(label)) {
        return g;
      }
    }
    return null;
  }
}
