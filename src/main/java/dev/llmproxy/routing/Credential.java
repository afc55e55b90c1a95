package dev.llmproxy.routing;

import dev.llmproxy.config.ApiKeyEntry;
import dev.llmproxy.config.OutboundProxy;
import dev.llmproxy.config.ProviderConfig;
import dev.llmproxy.config.Secrets;

/**
 * One upstream key of one provider, with the proxy it goes out through. Immutable.
 *
 * @param id stable identity (provider, key, base URL, proxy) that survives reloads, so cooldowns and
 *     rotation state carry over for keys that did not change; contains no secret
 */
public record Credential(String id, ProviderConfig provider, int index, ApiKeyEntry entry, OutboundProxy proxy) {

  public String maskedKey() {
    return Secrets.mask(entry.apiKey());
  }

  @Override
  public String toString() {
    return provider.name() + "#" + index + "(" + maskedKey() + ")";
  }
}
