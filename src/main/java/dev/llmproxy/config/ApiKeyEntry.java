package dev.llmproxy.config;

/**
 * One {@code api-key-entries[]} row. Immutable; {@link #toString()} masks the key.
 *
 * @param apiKey upstream key, sent as {@code Authorization: Bearer}; empty means no Authorization header
 * @param proxy this key's outbound proxy, or {@code null} to inherit the global {@code proxy-url}
 * @param weight share under {@code weighted-round-robin} (default 1; 0 = never picked)
 */
public record ApiKeyEntry(String apiKey, OutboundProxy proxy, int weight) {

  @Override
  public String toString() {
    return "ApiKeyEntry[apiKey=" + Secrets.mask(apiKey) + ", proxy=" + proxy + ", weight=" + weight + "]";
  }
}
