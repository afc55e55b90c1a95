package dev.llmproxy.routing;

import java.util.List;
import java.util.Map;

/**
 * Model ids each provider's upstream listed at {@code GET {base-url}/models}, keyed by provider name.
 * Immutable; replaced as a whole when a refresh changes anything.
 */
public record DiscoveredModels(Map<String, List<String>> byProvider) {
  public static final DiscoveredModels NONE = new DiscoveredModels(Map.of());

  public DiscoveredModels {
    byProvider = Map.copyOf(byProvider);
  }

  public List<String> of(String provider) {
    return byProvider.getOrDefault(provider, List.of());
  }
}
