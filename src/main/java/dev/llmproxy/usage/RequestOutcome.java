package dev.llmproxy.usage;

/** How a request ended for its client: the {@code outcome} of a usage record. */
public enum RequestOutcome {
  SUCCEEDED("succeeded"),
  FAILED("failed"),
  CANCELLED("cancelled");

  private final String label;

  RequestOutcome(String label) {
    this.label = label;
  }

  /** As stored and shown: {@code succeeded}, {@code failed}, {@code cancelled}. */
  public String label() {
    return label;
  }

  /** The outcome stored as {@code label}. */
  public static RequestOutcome ofLabel(String label) {
    for (RequestOutcome o : values()) {
      if (o.label.equals(label)) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown outcome '" + label + "'");
  }
}
