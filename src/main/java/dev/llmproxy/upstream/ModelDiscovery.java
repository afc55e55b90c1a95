package dev.llmproxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.config.ApiKeyEntry;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.config.OutboundProxy;
import dev.llmproxy.config.ProviderConfig;
import dev.llmproxy.routing.DiscoveredModels;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.SnapshotHolder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches {@code GET {base-url}/models} for providers that discover their models (no {@code models}
 * list, or {@code discover-models: true}), with the provider's first key through that key's proxy;
 * at every config install and then every {@code model-discovery-interval}. A failed refresh keeps the
 * last good list and logs a warning. Runs entirely on HttpClient's reactor and the scheduler, so a
 * client request never waits for it. A changed list is installed as a new snapshot with the same
 * config. Thread-safe.
 */
public final class ModelDiscovery {
  private static final Logger LOG = LoggerFactory.getLogger(ModelDiscovery.class);
  private static final ObjectMapper JSON = dev.llmproxy.error.WebappJson.newMapper();
  static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

  private final UpstreamClients clients;
  private final ScheduledExecutorService scheduler;
  private final SnapshotHolder snapshots;
  private final Clock clock;
  private final ConcurrentMap<String, List<String>> lastGood = new ConcurrentHashMap<>();
  private volatile GatewayConfig config;
  private ScheduledFuture<?> periodic;

  public ModelDiscovery(UpstreamClients clients, ScheduledExecutorService scheduler, SnapshotHolder snapshots,
      Clock clock) {
    this.clients = clients;
    this.scheduler = scheduler;
    this.snapshots = snapshots;
    this.clock = clock;
  }

  /** The last good lists of providers that still discover. */
  public DiscoveredModels current() {
    return new DiscoveredModels(new HashMap<>(lastGood));
  }

  /** Starts using {@code newConfig}: forgets providers that stopped discovering, refreshes now and periodically. */
  public synchronized void configure(GatewayConfig newConfig) {
    this.config = newConfig;
    List<String> discovering = new ArrayList<>();
    for (ProviderConfig p : newConfig.providers()) {
      if (!p.disabled() && p.discoversModels()) {
        discovering.add(p.name());
      }
    }
    lastGood.keySet().retainAll(discovering);
    if (periodic != null) {
      periodic.cancel(false);
      periodic = null;
    }
    if (discovering.isEmpty()) {
      return;
    }
    long every = newConfig.modelDiscoveryInterval().toMillis();
    periodic = scheduler.scheduleWithFixedDelay(this::refreshAll, 0, every, TimeUnit.MILLISECONDS);
  }

  /** Refreshes every discovering provider of the current config. */
  public void refreshAll() {
    GatewayConfig c = config;
    if (c == null) {
      return;
    }
    for (ProviderConfig p : c.providers()) {
      if (!p.disabled() && p.discoversModels()) {
        refresh(c, p);
      }
    }
  }

  private void refresh(GatewayConfig c, ProviderConfig provider) {
    refresh(c, provider, 0);
  }

  /**
   * Asks with key {@code keyIndex}; when that fails (a revoked or rate-limited key, or its proxy is
   * down) the provider's next key is asked in the same refresh, so one bad key does not freeze the list.
   */
  private void refresh(GatewayConfig c, ProviderConfig provider, int keyIndex) {
    List<ApiKeyEntry> keys = provider.apiKeyEntries();
    ApiKeyEntry entry = keys.isEmpty() ? null : keys.get(keyIndex);
    OutboundProxy proxy = entry != null ? c.effectiveProxy(entry) : c.globalProxy();
    Runnable nextKey = keyIndex + 1 < keys.size() ? () -> refresh(c, provider, keyIndex + 1) : null;
    UpstreamClients.Lease lease = null;
    try {
      lease = clients.lease(proxy, c.upstream());
      UpstreamClients.Lease borrowed = lease;
      lease.client().execute(
          UpstreamRequest.newGet(provider, "/models", entry == null ? null : entry.apiKey()),
          SimpleResponseConsumer.create(), null, HttpClientContext.create(),
          new FutureCallback<SimpleHttpResponse>() {
            @Override
            public void completed(SimpleHttpResponse response) {
              borrowed.release();
              onResponse(provider, response, nextKey);
            }

            @Override
            public void failed(Exception ex) {
              borrowed.release();
              onFailure(provider, ex.getClass().getSimpleName(), nextKey);
            }

            @Override
            public void cancelled() {
              borrowed.release();
            }
          });
    } catch (RuntimeException e) {
      if (lease != null) {
        lease.release();
      }
      onFailure(provider, e.toString(), nextKey);
    }
  }

  private void onFailure(ProviderConfig provider, String reason, Runnable nextKey) {
    if (nextKey != null) {
      LOG.debug("Model discovery for provider {} failed with one key ({}); trying the next", provider.name(), reason);
      nextKey.run();
      return;
    }
    LOG.warn("Model discovery for provider {} failed ({}); keeping the last good list", provider.name(), reason);
  }

  private void onResponse(ProviderConfig provider, SimpleHttpResponse response, Runnable nextKey) {
    byte[] body = response.getBodyBytes();
    if (response.getCode() != 200 || body == null || body.length > MAX_BODY_BYTES) {
      onFailure(provider, "HTTP " + response.getCode(), nextKey);
      return;
    }
    List<String> ids;
    try {
      ids = parseIds(body);
    } catch (Exception e) {
      LOG.warn("Model discovery for provider {} got an unreadable list; keeping the last good list", provider.name());
      return;
    }
    List<String> previous = lastGood.put(provider.name(), ids);
    if (!ids.equals(previous)) {
      LOG.info("Provider {} lists {} model(s)", provider.name(), ids.size());
      publish();
    }
  }

  /** Reads {@code {"data":[{"id":..}]}} (OpenAI) or a bare array of such objects. */
  static List<String> parseIds(byte[] body) throws java.io.IOException {
    JsonNode root = JSON.readTree(body);
    JsonNode data = root.isArray() ? root : root.path("data");
    if (!data.isArray()) {
      throw new java.io.IOException("no data array");
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode model : data) {
      String id = model.path("id").asText("");
      if (!id.isEmpty() && !ids.contains(id)) {
        ids.add(id);
      }
    }
    return List.copyOf(ids);
  }

  /**
   * Rebuilds the running snapshot with the lists as they are now. Two providers' answers (two reactor
   * threads) or a reload can race here; the atomic update re-reads the lists if so. A plain
   * read-then-install lost one provider's list, and later refreshes saw no change to publish.
   */
  private void publish() {
    snapshots.update(running -> GatewaySnapshot.of(running.config(), current(), clock.instant().getEpochSecond()));
  }

  /** Stops the periodic refresh. */
  public synchronized void close() {
    if (periodic != null) {
      periodic.cancel(false);
    }
  }
}
