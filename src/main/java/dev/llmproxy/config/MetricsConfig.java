package dev.llmproxy.config;

/**
 * {@code metrics:} who may read {@code GET /metrics} besides management, and whether meters are also
 * exported over JMX. The token is read on every scrape (a reload changes it at once); {@code jmx} is read
 * at startup. Immutable; {@link #toString()} hides the token.
 *
 * @param token a scraper's Bearer token that opens {@code /metrics} and nothing else; empty (the default)
 *     leaves {@code /metrics} to management's key or role, and to nobody when management is off (404)
 * @param jmx also register every meter as an MBean under the domain {@code llm-proxy} (default false)
 */
public record MetricsConfig(String token, boolean jmx) {
  public static final MetricsConfig DEFAULT = new MetricsConfig("", false);

  public boolean hasToken() {
    return !token.isEmpty();
  }

  @Override
  public String toString() {
    return "MetricsConfig[token=" + (token.isEmpty() ? "" : "<redacted>") + ", jmx=" + jmx + "]";
  }
}
