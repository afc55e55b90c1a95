package dev.llmproxy.upstream;

import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.concurrent.ComplexCancellable;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Cancels one upstream exchange itself, whatever HttpClient's future points at.
 *
 * <p>HttpClient (5.6) cancels, through the future {@code execute} returns, whatever its exec chain made that future
 * depend on last. When the pool has an idle connection the lease completes on the calling thread: the chain sets the
 * whole exchange up inside the lease's callback, makes the future depend on the exchange, and only then on the lease,
 * which has completed and cancels nothing (HttpClient's sources still do so). A client that left during an upstream
 * silence (a model thinking) then held its upstream exchange, and the provider went on generating, until the read
 * timeout: measured, half of the stalled streams on reused HTTP/1.1 connections were never closed.
 *
 * <p>{@link ExchangeCancellationCapture} hands the exchange this object instead of the future, so the exchange's own
 * cancellable lands here (and is passed on to the future as before). One per request, carried in its
 * {@link HttpContext}. Thread-safe.
 */
public final class ExchangeCancellation implements CancellableDependency {
  private static final String ATTRIBUTE = ExchangeCancellation.class.getName();

  private final ComplexCancellable exchange = new ComplexCancellable();
  private volatile CancellableDependency future;

  private ExchangeCancellation() {
  }

  /** A new cancellation for the exchange {@code context} will run; cancel it to stop that exchange. */
  public static ExchangeCancellation attachTo(HttpContext context) {
    ExchangeCancellation cancellation = new ExchangeCancellation();
    context.setAttribute(ATTRIBUTE, cancellation);
    return cancellation;
  }

  /** The cancellation attached to {@code context}, or {@code null}. */
  public static ExchangeCancellation of(HttpContext context) {
    return context.getAttribute(ATTRIBUTE) instanceof ExchangeCancellation c ? c : null;
  }

  /** Also tells {@code original} (the future's dependency) of what the exchange depends on. */
  ExchangeCancellation passingOnTo(CancellableDependency original) {
    this.future = original;
    return this;
  }

  @Override
  public void setDependency(Cancellable dependency) {
    exchange.setDependency(dependency); // cancels it at once if this was cancelled before the exchange began
    CancellableDependency f = future;
    if (f != null) {
      f.setDependency(dependency);
    }
  }

  @Override
  public boolean isCancelled() {
    return exchange.isCancelled();
  }

  /** Stops the exchange, or stops it as soon as it begins. Idempotent. */
  @Override
  public boolean cancel() {
    return exchange.cancel();
  }
}
