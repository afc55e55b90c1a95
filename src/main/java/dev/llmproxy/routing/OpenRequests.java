package dev.llmproxy.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-plane requests this instance holds open right now, all providers together, against
 * {@code max-open-requests}. Each holds the container's buffers for its connection and, while an attempt
 * runs, an upstream connection with HttpClient's (~160 KiB of heap on Tomcat with an HTTP/1.1 upstream, and two
 * open files). The per-route pools bound one provider each; this bounds their sum, so that several busy providers
 * together cannot take the instance past its heap or its open files. A request beyond the limit is refused at
 * once, before its body is read, with 503 {@code gateway_busy}: the gateway's own limit, never a provider's fault.
 * Refusals are counted for {@code upstream-status} and logged once per burst. It also holds the open requests of
 * each client that has a {@code max-parallel-requests} cap, so that one client cannot fill the instance; the cap is the
 * fleet's: what other instances hold for the client ({@link OpenElsewhere}) counts against it too.
 * Thread-safe: the instance-wide count is lock-free; a client's count changes under its map bin's lock.
 */
public final class OpenRequests {
  private static final Logger LOG = LoggerFactory.getLogger(OpenRequests.class);

  /** What {@code upstream-status} shows. */
  public record Status(int open, long refused, Instant lastRefused) {}

  private final Clock clock;
  private final OpenElsewhere elsewhere;
  private final AtomicInteger open = new AtomicInteger();
  private final BusyBursts refusals = new BusyBursts();
  /** Open requests per client with a {@code max-parallel-requests} cap, by its limit id. */
  private final ConcurrentMap<String, Integer> byClient = new ConcurrentHashMap<>();

  /** This instance's alone: a client's cap counts only what it holds here. */
  public OpenRequests(Clock clock) {
    this(clock, OpenElsewhere.NONE);
  }

  /** With what the other instances of the fleet hold for each capped client. */
  public OpenRequests(Clock clock, OpenElsewhere elsewhere) {
    this.clock = clock;
    this.elsewhere = elsewhere;
  }

  /**
   * Takes a place for one request if fewer than {@code limit} are open (the limit of the running config, so a
   * reload changes it for the requests that follow); the caller must {@link #close} it once the request is over.
   * False, counted and (first of a burst) logged, when the instance is full.
   */
  public boolean tryOpen(int limit) {
    // Compare-and-set rather than increment-then-undo: an undone increment would be seen by other requests
    // (refused while a place was free) and by the gauge (above the limit).
    for (int current = open.get(); current < limit; current = open.get()) {
      if (open.compareAndSet(current, current + 1)) {
        return true;
      }
    }
    if (refusals.refuse(clock.instant())) {
      LOG.warn("The gateway holds {} requests, its limit (max-open-requests): further requests get 503 "
          + "gateway_busy until some end; raise the limit if this instance's heap and open-file limit allow, or "
          + "add instances", limit);
    }
    return false;
  }

  /** A request that {@link #tryOpen} admitted is over. */
  public void close() {
    open.decrementAndGet();
  }

  /**
   * Takes a place for one request of the client counted as {@code clientId} if it holds fewer than {@code max} open
   * here and on the other instances together ({@code max-parallel-requests}); the caller must {@link #closeFor} it.
   * Only clients with such a cap come here, so the map holds the clients with requests open now and nothing else: an
   * entry goes at zero.
   */
  public boolean tryOpenFor(String clientId, int max) {
    int heldElsewhere = elsewhere.open(clientId);
    boolean[] admitted = {false};
    byClient.compute(clientId, (id, held) -> {
      int n = held == null ? 0 : held;
      if (n + heldElsewhere >= max) {
        return held;
      }
      admitted[0] = true;
      return n + 1;
    });
    return admitted[0];
  }

  /** A request that {@link #tryOpenFor} admitted is over. */
  public void closeFor(String clientId) {
    byClient.computeIfPresent(clientId, (id, held) -> held <= 1 ? null : held - 1);
  }

  /** Requests of {@code clientId} open now under its cap, here and (as far as known) on the other instances. */
  public int openFor(String clientId) {
    return byClient.getOrDefault(clientId, 0) + elsewhere.open(clientId);
  }

  /** What this instance holds open per capped client now, for the other instances to count. */
  public Map<String, Integer> openByClient() {
    return Map.copyOf(byClient);
  }

  /** Requests open now. */
  public int open() {
    return open.get();
  }

  /** Requests refused so far. */
  public long refused() {
    return refusals.refused();
  }

  public Status status() {
    return new Status(open.get(), refusals.refused(), refusals.last());
  }
}
