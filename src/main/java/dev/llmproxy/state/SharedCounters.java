package dev.llmproxy.state;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Named counters that live for a while and add up across every gateway instance: the primitive for counts that must
 * not be split N ways behind a load balancer (429 backoff levels, client-key request and token counts). Each {@link
 * #add} (re)starts the counter's life, so a counter nobody adds to for {@code ttl} is gone; a name that includes a
 * period (for example {@code rpm:team-a:2026-05-01T10:15}) makes a fixed window.
 *
 * <p>Never blocks: {@link #add} and {@link #estimate} answer from this instance's memory at once; the shared total
 * follows asynchronously. Implementations are thread-safe.
 */
public interface SharedCounters {
  /**
   * What an {@link #add} knows at once, and what the store says later.
   *
   * @param estimate the counter including this addition, as far as this instance knows now
   * @param total the store's total including this addition (and every instance's earlier ones); completes at once in
   *     memory, when Redis answers otherwise, or exceptionally when it cannot (the addition is then sent again when
   *     Redis is back)
   */
  record Added(long estimate, CompletableFuture<Long> total) {}

  /** Adds {@code delta} to {@code name} and makes it live {@code ttl} from now. */
  Added add(String name, long delta, Duration ttl);

  /**
   * Makes {@code name} hold at least {@code floor} besides its additions, and makes it live {@code ttl} from now: for
   * a count that comes from elsewhere (the durable usage records, or what an instance knew of a counter the store
   * lost). Raising again, or from another instance, counts only the highest floor, once; additions stay on top.
   */
  Added raise(String name, long floor, Duration ttl);

  /** The counter as far as this instance knows now (0 when unknown or expired); never waits. */
  long estimate(String name);

  /**
   * The store's total now; completes at once in memory, within {@code state.redis-timeout} with Redis (exceptionally
   * when Redis does not answer). For callers that may wait a little to be exact, never on a reactor thread.
   */
  CompletableFuture<Long> read(String name);

  /** Removes the counter everywhere. */
  void reset(String name);
}
