package dev.llmproxy.testing;

import dev.llmproxy.testing.StreamCounters.Outcome;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Plays a response body onto an async servlet response with non-blocking writes: optional opening bytes (an empty
 * array commits the headers of a stream; {@code null} sends nothing) followed by {@link SseStep}s.
 *
 * <p>While the script waits on a latch or stalls, the connection is probed every {@link #PROBE_INTERVAL} so a client
 * that leaves is noticed without a write (see {@link JettyConnection#isClosedByClient}).
 *
 * <p>One instance per exchange. The container, the timer and the latch waiters may all call in; the monitor keeps
 * them apart, and a step that defers work returns without asking {@code isReady()}, so the container has no write
 * callback pending meanwhile. Bytes are written only while {@code isReady()} is true.
 */
final class StreamPlayer implements WriteListener, AsyncListener {

  static final Duration PROBE_INTERVAL = Duration.ofMillis(50);

  private final AsyncContext async;
  private final Iterator<SseStep> steps;
  private final StreamScheduler scheduler;
  private final Consumer<Outcome> onFinished;

  // Guarded by this.
  private ServletOutputStream out;
  private byte[] pending;
  private boolean flushPending;
  private boolean idle;
  private boolean finished;

  StreamPlayer(
      AsyncContext async,
      byte[] opening,
      Iterator<SseStep> steps,
      StreamScheduler scheduler,
      Consumer<Outcome> onFinished) {
    this.async = async;
    this.pending = opening;
    this.steps = steps;
    this.scheduler = scheduler;
    this.onFinished = onFinished;
  }

  /** Starts playing; the container calls {@link #onWritePossible()} as soon as it can accept bytes. */
  synchronized void start() throws IOException {
    async.addListener(this);
    out = async.getResponse().getOutputStream();
    out.setWriteListener(this);
  }

  @Override
  public void onWritePossible() {
    advance();
  }

  private synchronized void advance() {
    idle = false;
    try {
      while (!finished && out.isReady()) {
        if (pending != null) {
          byte[] bytes = pending;
          pending = null;
          out.write(bytes);
          flushPending = true;
        } else if (flushPending) {
          flushPending = false;
          out.flush();
        } else if (!steps.hasNext()) {
          finish(Outcome.COMPLETED);
        } else if (!begin(steps.next())) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      finish(Outcome.CANCELLED);
    }
  }

  /** Starts one step; returns whether the loop may continue right away. */
  private boolean begin(SseStep step) {
    if (step instanceof SseStep.Send send) {
      pending = send.bytes();
      return true;
    }
    if (step instanceof SseStep.Sleep sleep) {
      scheduler.schedule(this::advance, sleep.duration());
    } else if (step instanceof SseStep.Await await) {
      startIdling();
      scheduler.afterLatch(await.latch(), this::advance);
    } else if (step instanceof SseStep.Stall) {
      startIdling();
    } else if (step instanceof SseStep.Abort) {
      finish(Outcome.ABORTED);
    }
    return false;
  }

  private void startIdling() {
    idle = true;
    scheduler.schedule(this::probe, PROBE_INTERVAL);
  }

  private synchronized void probe() {
    if (finished || !idle) {
      return;
    }
    if (JettyConnection.isClosedByClient(async.getRequest())) {
      finish(Outcome.CANCELLED);
    } else {
      scheduler.schedule(this::probe, PROBE_INTERVAL);
    }
  }

  private synchronized void finish(Outcome outcome) {
    if (finished) {
      return;
    }
    finished = true;
    onFinished.accept(outcome);
    try {
      if (outcome == Outcome.ABORTED) {
        JettyConnection.abort(async.getRequest());
        return;
      }
      if (outcome == Outcome.CANCELLED && !JettyConnection.isHttp2(async.getRequest())) {
        // The client is gone; closing first keeps Jetty from trying to send it an error page. (An HTTP/2 client left
        // its stream alone: the connection carries others.)
        JettyConnection.close(async.getRequest());
      }
      async.complete();
    } catch (IllegalStateException alreadyCompleted) {
      // The container ended the exchange first, for example after the client went away.
    }
  }

  @Override
  public void onError(Throwable failure) {
    finish(Outcome.CANCELLED);
  }

  @Override
  public void onError(AsyncEvent event) {
    finish(Outcome.CANCELLED);
  }

  @Override
  public void onComplete(AsyncEvent event) {
    // Reached without finish() only when the server itself ended the exchange, for example on stop().
    finish(Outcome.CANCELLED);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    finish(Outcome.CANCELLED);
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // Never re-dispatched.
  }
}
