package dev.llmproxy.relay;

import dev.llmproxy.upstream.ExchangeCancellation;
import dev.llmproxy.upstream.UpstreamClients;
import dev.llmproxy.upstream.UpstreamListener;
import dev.llmproxy.upstream.UpstreamResponseConsumer;
import java.util.concurrent.Future;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The HttpClient exchange one attempt runs: its response consumer, its future once started, the pooled client it
 * borrowed, and whether cancelling it is still right. Owns no answer: its {@link UpstreamListener} reads that.
 *
 * <p>Thread-safe without a lock: cancelling may come from any thread, the upstream's end from a reactor thread.
 * Never call {@link #cancel} while holding a monitor: it calls into HttpClient.
 */
final class UpstreamExchange {
  private final UpstreamResponseConsumer consumer;
  /** The exchange's own cancel: the future's misses an exchange on a reused connection (see there). */
  private final ExchangeCancellation cancellation;
  private volatile Future<Void> future;
  private volatile boolean cancelRequested;
  /**
   * The upstream response ended (or failed) by itself. Cancelling after that would abort an exchange
   * HttpClient is about to complete and throw away a reusable connection (HTTP/1.1) or reset a stream (h2).
   */
  private volatile boolean upstreamFinished;
  /** The pooled client this attempt borrowed; given back once the upstream exchange is over. */
  private volatile UpstreamClients.Lease lease;

  UpstreamExchange(UpstreamListener listener, HttpContext context) {
    this.consumer = new UpstreamResponseConsumer(listener);
    consumer.attachTo(context);
    this.cancellation = ExchangeCancellation.attachTo(context);
  }

  UpstreamResponseConsumer consumer() {
    return consumer;
  }

  void holdLease(UpstreamClients.Lease borrowed) {
    this.lease = borrowed;
  }

  /** The HttpClient exchange, once started; cancelled at once if cancelling was asked for meanwhile. */
  void started(Future<Void> f) {
    this.future = f;
    if (cancelRequested && !upstreamFinished) {
      f.cancel(true);
      cancellation.cancel();
    }
  }

  /** Stops the upstream exchange (idempotent). */
  void cancel() {
    cancelRequested = true;
    consumer.abort();
    Future<Void> f = future;
    if (f != null && !upstreamFinished) {
      f.cancel(true);
      cancellation.cancel();
    }
  }

  /** Lets the upstream send more, after the client side drained. */
  void grant(int bytes) {
    consumer.grant(bytes);
  }

  /** The upstream response ended, failed or was released by itself: nothing to cancel; the client goes back. */
  void onFinished() {
    upstreamFinished = true;
    releaseLease();
  }

  /** Gives the client back (idempotent): a retired pool closes when its last exchange does this. */
  private void releaseLease() {
    UpstreamClients.Lease l = lease;
    if (l != null) {
      l.release();
    }
  }
}
