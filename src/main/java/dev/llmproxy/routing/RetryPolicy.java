package dev.llmproxy.routing;

import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.config.ProviderConfig;
import java.time.Duration;

/**
 * The retry and cooldown settings one request runs under, read once from its config snapshot.
 * Immutable.
 */
public record RetryPolicy(
    int requestRetry,
    int maxRetryCredentials,
    Duration maxRetryInterval,
    boolean disableCooling,
    Duration transientCooldown,
    Duration keyFaultCooldown,
    int bootstrapRetries) {

  public static RetryPolicy of(GatewayConfig config) {
    return new RetryPolicy(config.requestRetry(), config.maxRetryCredentials(), config.maxRetryInterval(),
        config.disableCooling(), config.transientErrorCooldown(), config.keyFaultCooldown(),
        config.streaming().bootstrapRetries());
  }

  int requestRetry(ProviderConfig provider) {
    return provider.requestRetry() != null ? provider.requestRetry() : requestRetry;
  }

  boolean coolingDisabled(ProviderConfig provider) {
    return provider.disableCooling() != null ? provider.disableCooling() : disableCooling;
  }
}
