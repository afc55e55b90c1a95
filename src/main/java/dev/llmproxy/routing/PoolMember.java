package dev.llmproxy.routing;

import dev.llmproxy.config.ProviderConfig;

/** One upstream model that can serve a client model id, at one provider. Immutable. */
public record PoolMember(ProviderConfig provider, String upstreamModel) {}
