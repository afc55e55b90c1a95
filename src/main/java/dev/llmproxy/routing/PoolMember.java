package dev.llmproxy.routing;

import dev.llmproxy.config.ModelPrice;
import dev.llmproxy.config.ProviderConfig;

/**
 * One upstream model that can serve a client model id, at one provider. Immutable.
 *
 * @param forceMapping rewrite the {@code model} of answers to the id the client asked for
 * @param maxTokens the most output tokens a translated request asks this model for, or {@code null}
 * @param price what its tokens cost (for client keys' cost limits), or {@code null} when not priced
 */
public record PoolMember(ProviderConfig provider, String upstreamModel, boolean forceMapping, Integer maxTokens,
    ModelPrice price) {
  public PoolMember(ProviderConfig provider, String upstreamModel) {
    this(provider, upstreamModel, false, null, null);
  }

  public PoolMember(ProviderConfig provider, String upstreamModel, boolean forceMapping, Integer maxTokens) {
    this(provider, upstreamModel, forceMapping, maxTokens, null);
  }
}
