package dev.llmproxy.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the gateway itself was full: requests refused with {@code gateway_busy} because no connection of its own
 * pool toward a provider came free within {@code upstream.pool-wait}. Not a cooldown (nothing is the provider's
 * fault); kept for operators ({@code upstream-status}) and logged once per burst, not per request
 * ({@link BusyBursts}). Thread-safe.
 */
public final class PoolSaturation {
  private static final Logger LOG = LoggerFactory.getLogger(PoolSaturation.class);

  /** What {@code upstream-status} shows for one provider. */
  public record Refusals(String provider, long refused, Instant last) {}

  private final Clock clock;
  private final ConcurrentMap<String, BusyBursts> byProvider = new ConcurrentHashMap<>();

  public PoolSaturation(Clock clock) {
    this.clock = clock;
  }

  /** A request to {@code provider} was refused because the pool was full; logs the first of a burst. */
  public void refused(String provider, int poolSize) {
    if (byProvider.computeIfAbsent(provider, p -> new BusyBursts()).refuse(clock.instant())) {
      LOG.warn("The gateway's connections to provider '{}' are all in use (upstream.max-connections-per-route {}): "
          + "requests get 503 gateway_busy until one comes free; raise the limit (and the open-file limit) if "
          + "this instance can hold more, or add instances", provider, poolSize);
    }
  }

  /** Every provider that ever refused, with the count and the last time. */
  public List<Refusals> snapshot() {
    List<Refusals> out = new ArrayList<>();
    byProvider.forEach((p, c) -> out.add(new Refusals(p, c.refused(), c.last())));
    out.sort(java.util.Comparator.comparing(Refusals::provider));
    return out;
  }
}
