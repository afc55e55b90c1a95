package dev.llmproxy.upstream;

import dev.llmproxy.config.ApiKeyEntry;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.config.OutboundProxy;
import dev.llmproxy.config.ProviderConfig;
import dev.llmproxy.config.UpstreamConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.io.CloseMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream connection pools: one started client (see {@link UpstreamClientFactory}) per outbound
 * route and transport settings, shared by every key that uses that proxy and created on first use.
 * Exchanges borrow a client with {@link #lease} and give it back when their upstream response is over,
 * so that pools a reload no longer references ({@link #retainFor}) are closed once their last
 * in-flight exchange has finished, never under it. Thread-safe.
 */
public final class UpstreamClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamClients.class);

  private final ConcurrentMap<PoolKey, Pool> pools = new ConcurrentHashMap<>();
  /** Retired pools not closed yet (exchanges still running, or the close still queued). */
  private final Set<Pool> retiring = ConcurrentHashMap.newKeySet();
  /**
   * Runs the closing of retired pools: a few milliseconds each, but up to 5 s per client when a reactor is slow to
   * stop, which must not hold up the gateway's scheduler (stream flow control, retry waits and keep-alive probes run
   * there). Its one thread lives only while there is closing to do.
   */
  private final ExecutorService closer;
  /** Sweeps every pool's waiting requests, so that pool-wait is kept even when no connection comes free. */
  private final ScheduledFuture<?> sweeper;
  /** Pools the running config uses; {@code null} until the first {@link #retainFor}. */
  private volatile Set<PoolKey> retained;
  private volatile boolean closed;

  /** @param scheduler runs the sweep of requests waiting for a pooled connection */
  public UpstreamClients(ScheduledExecutorService scheduler) {
    this(scheduler, newCloser());
  }

  /**
   * @param closer runs the closing of retired pools, and is shut down with this object; it must not be a reactor
   *     thread of the pool being closed, which is where the last exchange usually finishes
   */
  UpstreamClients(ScheduledExecutorService scheduler, ExecutorService closer) {
    this.closer = closer;
    this.sweeper = scheduler.scheduleWithFixedDelay(this::sweepWaiting, SWEEP_MILLIS, SWEEP_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  private static ExecutorService newCloser() {
    return new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        new NamedDaemonThreads("llm-proxy-pool-closer"));
  }

  /** How often requests waiting for a pooled connection are checked against {@code pool-wait}. */
  static final long SWEEP_MILLIS = 200;

  private void sweepWaiting() {
    for (Pool pool : pools.values()) {
      for (Runnable sweep : pool.sweeps) {
        try {
          sweep.run();
        } catch (RuntimeException e) {
          LOG.debug("sweeping waiting upstream requests failed: {}", e.toString());
        }
      }
    }
  }

  /** A record key: building a string from the settings per request showed up in the profile. */
  private record PoolKey(String proxy, UpstreamConfig settings) {}

  /** A client on loan to one exchange. {@link #release()} once the exchange is over; twice is harmless. */
  public static final class Lease {
    private final Pool pool;
    private final CloseableHttpAsyncClient client;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(Pool pool) {
      this.pool = pool;
      this.client = pool.nextClient();
    }

    public CloseableHttpAsyncClient client() {
      return client;
    }

    public void release() {
      if (released.compareAndSet(false, true)) {
        pool.release();
      }
    }
  }

  /** Borrows the client for this proxy and these settings, creating and starting it on first use. */
  public Lease lease(OutboundProxy proxy, UpstreamConfig settings) {
    PoolKey key = new PoolKey(proxy.poolKey(), settings);
    while (true) {
      if (closed) {
        throw new IllegalStateException("upstream clients are closed");
      }
      Pool pool = pools.computeIfAbsent(key, k -> {
        List<Runnable> sweeps = new ArrayList<>();
        return new Pool(UpstreamClientFactory.newClients(proxy, settings, sweeps), sweeps);
      });
      if (!pool.acquire()) {
        continue; // retired between lookup and acquire; the next turn makes a fresh pool
      }
      Set<PoolKey> keep = retained;
      if (keep != null && !keep.contains(key) && pools.remove(key, pool)) {
        // A request still on an older config: serve it, then let the pool go.
        retire(pool);
      }
      return new Lease(pool);
    }
  }

  /**
   * Keeps the pools {@code config} uses (every enabled provider's keys, and the global route used by
   * providers without keys) and retires the others; each closes when its last exchange is released.
   */
  public void retainFor(GatewayConfig config) {
    Set<PoolKey> keep = new HashSet<>();
    keep.add(new PoolKey(config.globalProxy().poolKey(), config.upstream()));
    for (ProviderConfig provider : config.providers()) {
      if (provider.disabled()) {
        continue;
      }
      for (ApiKeyEntry entry : provider.apiKeyEntries()) {
        keep.add(new PoolKey(config.effectiveProxy(entry).poolKey(), config.upstream()));
      }
    }
    retained = Set.copyOf(keep);
    for (Map.Entry<PoolKey, Pool> e : pools.entrySet()) {
      if (!keep.contains(e.getKey()) && pools.remove(e.getKey(), e.getValue())) {
        LOG.info("Upstream connection pool {} is no longer configured; closing it after its last exchange",
            e.getKey().proxy().startsWith("direct") ? "direct" : "for a removed proxy");
        retire(e.getValue());
      }
    }
  }

  private void retire(Pool pool) {
    retiring.add(pool);
    pool.retire();
  }

  /** Pools currently in use (retired ones with exchanges still running are not counted). */
  public int size() {
    return pools.size();
  }

  /** Closes every client gracefully, waiting briefly for in-flight exchanges. */
  @Override
  public void close() {
    closed = true;
    sweeper.cancel(false);
    Set<Pool> all = new HashSet<>(pools.values());
    all.addAll(retiring);
    for (Pool pool : all) {
      shutDown(pool.clients);
    }
    pools.clear();
    retiring.clear();
    closer.shutdown();
  }

  /**
   * Closes {@code clients} on this thread. HttpCore's graceful close is already bounded: it asks the reactors
   * to stop, waits up to 5 s for them, then closes every reactor at once and marks the client shut down.
   */
  private static void shutDown(List<CloseableHttpAsyncClient> clients) {
    clients.forEach(client -> client.close(CloseMode.GRACEFUL));
  }

  /**
   * The clients of one route (several only for multiplexed HTTP/2, used in turn) and the count of
   * exchanges using them. State guarded by this object's monitor, but for the turn counter.
   */
  private final class Pool {
    final List<CloseableHttpAsyncClient> clients;
    private final AtomicInteger turn = new AtomicInteger();
    private int inFlight;
    private boolean retired;
    private boolean closing;

    final List<Runnable> sweeps;

    Pool(List<CloseableHttpAsyncClient> clients, List<Runnable> sweeps) {
      this.clients = clients;
      this.sweeps = List.copyOf(sweeps);
    }

    CloseableHttpAsyncClient nextClient() {
      return clients.size() == 1 ? clients.get(0) : clients.get(Math.floorMod(turn.getAndIncrement(), clients.size()));
    }

    synchronized boolean acquire() {
      if (retired) {
        return false;
      }
      inFlight++;
      return true;
    }

    void release() {
      boolean close;
      synchronized (this) {
        inFlight--;
        close = shouldCloseNow();
      }
      if (close) {
        closeLater();
      }
    }

    void retire() {
      boolean close;
      synchronized (this) {
        retired = true;
        close = shouldCloseNow();
      }
      if (close) {
        closeLater();
      }
    }

    private boolean shouldCloseNow() {
      if (retired && inFlight == 0 && !closing) {
        closing = true;
        return true;
      }
      return false;
    }

    /**
     * Nothing is in flight, so the reactors only have idle connections to drop, which takes them a few
     * milliseconds. Graceful all the same: HttpCore 5.4's immediate close tears the selector down under
     * the running reactor thread, which then logs a {@code ClosedSelectorException} at SEVERE.
     */
    private void closeLater() {
      try {
        closer.execute(() -> {
          shutDown(clients);
          retiring.remove(this);
        });
      } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
        // The webapp is stopping: close() closes every pool still in {@code retiring}.
      }
    }
  }
}
