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
import java.util.function.Consumer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.reactor.IOReactorShutdownException;
import org.apache.hc.core5.reactor.IOReactorStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream connection pools: one started client (see {@link UpstreamClientFactory}) per outbound
 * route and transport settings, shared by every key that uses that proxy and created on first use.
 * Exchanges borrow a client with {@link #lease} and give it back when their upstream response is over,
 * so that pools a reload no longer references ({@link #retainFor}) are closed once their last
 * in-flight exchange has finished, never under it. A pool whose I/O reactor died under it (a reactor thread
 * killed, by an {@code OutOfMemoryError} say) is replaced by a fresh one at the next lease or sweep, and the
 * exchanges it still carried are failed ({@link Lease#onLost}): their callbacks would never come. Thread-safe.
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
    for (Map.Entry<PoolKey, Pool> entry : pools.entrySet()) {
      Pool pool = entry.getValue();
      if (pool.isLost()) {
        replaceLost(entry.getKey(), pool);
        continue;
      }
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
    private volatile Consumer<Exception> onLost;

    private Lease(Pool pool) {
      this.pool = pool;
      this.client = pool.nextClient();
      pool.live.add(this);
    }

    public CloseableHttpAsyncClient client() {
      return client;
    }

    /**
     * What to do when the client's I/O reactor dies under this exchange: HttpClient will not call back, so
     * {@code handler} ends the exchange instead (on a gateway thread). Runs at once if it died already.
     */
    public void onLost(Consumer<Exception> handler) {
      onLost = handler;
      if (pool.lost && !released.get()) {
        lose();
      }
    }

    private void lose() {
      lose(new IOReactorShutdownException("the upstream client's I/O reactor died"));
    }

    private void lose(Exception why) {
      Consumer<Exception> handler = onLost;
      if (handler != null && !released.get()) {
        handler.accept(why);
      }
      release();
    }

    public void release() {
      if (released.compareAndSet(false, true)) {
        pool.live.remove(this);
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
        List<PoolingAsyncClientConnectionManager> managers = new ArrayList<>();
        AtomicBoolean reactorExited = new AtomicBoolean();
        return new Pool(UpstreamClientFactory.newClients(proxy, settings, managers, () -> reactorExited.set(true)),
            managers, reactorExited);
      });
      if (pool.isLost()) {
        replaceLost(key, pool);
        continue; // the next turn makes a fresh pool
      }
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

  /**
   * Takes a pool whose reactor died out of use (once, however many find it), fails the exchanges it carried and
   * closes what is left of it.
   */
  private void replaceLost(PoolKey key, Pool pool) {
    if (!pools.remove(key, pool)) {
      return;
    }
    LOG.warn("Upstream connection pool {} lost its I/O reactor (a reactor thread ended while in use); replacing it"
        + " and failing its {} exchange(s) in flight", key.proxy().startsWith("direct") ? "direct" : "for a proxy",
        pool.live.size());
    pool.lost = true;
    retire(pool);
    for (Lease lease : List.copyOf(pool.live)) {
      lease.lose();
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

  /**
   * The upstream connections of every pooling client now, retired pools included: what
   * {@code llmproxy_upstream_connections} shows. The clients of {@code http2: force} keep one connection each
   * outside any pool, and are not counted.
   */
  public ConnectionCounts connections() {
    Set<Pool> all = new HashSet<>(pools.values());
    all.addAll(retiring);
    int leased = 0;
    int idle = 0;
    int pending = 0;
    for (Pool pool : all) {
      for (PoolingAsyncClientConnectionManager manager : pool.managers) {
        PoolStats stats = manager.getTotalStats();
        leased += stats.getLeased();
        idle += stats.getAvailable();
        pending += stats.getPending();
      }
    }
    return new ConnectionCounts(leased, idle, pending);
  }

  /**
   * Connections carrying an exchange, connections kept alive for the next one, and requests waiting for a
   * connection (a route at {@code max-connections-per-route}).
   */
  public record ConnectionCounts(int leased, int idle, int pending) {}

  /** Closes every client gracefully, waiting briefly for in-flight exchanges. */
  @Override
  public void close() {
    closed = true;
    sweeper.cancel(false);
    Set<Pool> all = new HashSet<>(pools.values());
    all.addAll(retiring);
    for (Pool pool : all) {
      // Told first: the close below cancels them, which an exchange takes for its client having left and ends quietly.
      for (Lease lease : List.copyOf(pool.live)) {
        lease.lose(new GatewayStoppingException());
      }
    }
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
    /** The exchanges using this pool now, to fail should its reactor die. */
    final Set<Lease> live = ConcurrentHashMap.newKeySet();
    /** A reactor thread of these clients ended: set by that thread as it ends. */
    private final AtomicBoolean reactorExited;
    /** Replaced because its reactor died: leases taken from now on are failed at once. */
    volatile boolean lost;
    private final AtomicInteger turn = new AtomicInteger();
    private int inFlight;
    private boolean retired;
    private boolean closing;

    final List<PoolingAsyncClientConnectionManager> managers;
    /** For each manager, what gives up its requests that waited for a connection past {@code pool-wait}. */
    final List<Runnable> sweeps;

    Pool(List<CloseableHttpAsyncClient> clients, List<PoolingAsyncClientConnectionManager> managers,
        AtomicBoolean reactorExited) {
      this.clients = clients;
      this.managers = List.copyOf(managers);
      this.sweeps = managers.stream().map(PendingLeases::sweeper).toList();
      this.reactorExited = reactorExited;
    }

    /**
     * Whether its reactor died. Asked only of pools still offered to exchanges, which nothing here has closed:
     * a reactor thread that ended, or a client no longer active, was stopped by something else. The thread is
     * what tells, for a client with two reactor threads reports itself active while one of them is dead.
     */
    boolean isLost() {
      if (reactorExited.get()) {
        return true;
      }
      for (CloseableHttpAsyncClient client : clients) {
        IOReactorStatus status = client.getStatus();
        if (status == IOReactorStatus.SHUTTING_DOWN || status == IOReactorStatus.SHUT_DOWN) {
          return true;
        }
      }
      return false;
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
