package dev.llmproxy.relay;

import dev.llmproxy.buffers.BufferAccount;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.config.UpstreamConfig;
import dev.llmproxy.dialect.ClientCall;
import dev.llmproxy.dialect.UpstreamCall;
import dev.llmproxy.metrics.AttemptOutcome;
import dev.llmproxy.routing.AffinityOutcome;
import dev.llmproxy.routing.Attempt;
import dev.llmproxy.routing.PlanStep;
import dev.llmproxy.routing.RoutePlan;
import dev.llmproxy.routing.UpstreamFailure;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.upstream.UpstreamClients;
import dev.llmproxy.upstream.UpstreamRequest;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks one request's {@link RoutePlan}: starts an {@link UpstreamAttempt} per step, waits when every
 * candidate cools, fails over while nothing reached the client, and gives up with a routing decision. It
 * knows no wire format: answers go to its {@link Downstream} as they come, failures and give-ups as values.
 *
 * <p>Threading: entered from the request's first thread, from HttpClient's reactor threads (through the
 * current attempt), from the scheduler (after a wait) and from a departing client ({@link #cancel}). Its
 * state (the plan, the current attempt, whether it is over) is guarded by its own monitor, which it never
 * holds while calling out; {@link #current} is also readable without it, for the per-event check.
 */
final class AttemptLoop implements UpstreamAttempt.Outcomes {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptLoop.class);

  /** The client side of the request, which renders what the loop reports. */
  interface Downstream {
    int capacity();

    /** The exchange's account for large buffers, which its attempts' buffers reserve from too. */
    BufferAccount buffers();

    /** A new attempt starts: whatever the previous one reported (tokens) is not this answer's. */
    void onAttemptStarted(Attempt attempt);

    boolean onAnswerHead(UpstreamCall call, AnswerHead head);

    void onReadStart(UpstreamCall call, int bytes);

    boolean onAnswerEvent(UpstreamCall call, SseEvent event);

    void onAnswerDone(UpstreamCall call);

    void onAnswerComment(UpstreamCall call);

    boolean onAnswerBodyPart(UpstreamCall call, ByteBuffer part);

    void onReadEnd(UpstreamCall call);

    /** Whether a failure now can still be answered by another attempt (nothing of an answer went out). */
    boolean canFailOver();

    void onAnswerBody(UpstreamCall call, byte[] upstreamBody, byte[] clientBody);

    void onAnswerEnd(UpstreamCall call);

    /** The answer broke after it reached the client. */
    void onFailureAfterStart(UpstreamFailure failure);

    /** Routing has nothing more to try. */
    void onGiveUp(PlanStep.GiveUp giveUp);
  }

  private final String id;
  /** Who asked, for the logs: {@code user alice}, {@code key sk-a...1234} or {@code anonymous}. */
  private final String client;
  private final RelayServices services;
  private final RoutePlan plan;
  private final ClientCall clientCall;
  private final Map<String, String> copiedClientHeaders;
  private final boolean passthroughHeaders;
  private final UpstreamConfig upstreamSettings;
  private final boolean debug;
  private final Downstream downstream;
  private final Object lock = new Object();
  private volatile UpstreamAttempt current;
  private boolean over;

  /**
   * @param config the snapshot's config: upstream transport settings, {@code passthrough-headers}, {@code debug}
   */
  AttemptLoop(String id, String client, RelayServices services, RoutePlan plan, ClientCall clientCall,
      Map<String, String> copiedClientHeaders, GatewayConfig config, Downstream downstream) {
    this.id = id;
    this.client = client;
    this.services = services;
    this.plan = plan;
    this.clientCall = clientCall;
    this.copiedClientHeaders = copiedClientHeaders;
    this.passthroughHeaders = config.passthroughHeaders();
    this.upstreamSettings = config.upstream();
    this.debug = config.debug();
    this.downstream = downstream;
  }

  /** Asks the plan what to do next and does it. Never called under a lock. */
  void runNext() {
    PlanStep step;
    synchronized (lock) {
      if (over) {
        return;
      }
      step = plan.next();
      if (step instanceof PlanStep.GiveUp) {
        over = true;
      }
    }
    if (step instanceof PlanStep.Try t) {
      start(t.attempt());
    } else if (step instanceof PlanStep.Wait w) {
      LOG.debug("{} all candidates cooling; retrying in {} ms", id, w.delay().toMillis());
      services.scheduler().schedule(this::runNext, w.delay().toMillis(), TimeUnit.MILLISECONDS);
    } else if (step instanceof PlanStep.GiveUp g) {
      downstream.onGiveUp(g);
    }
  }

  private void start(Attempt step) {
    start(step, 0);
  }

  /** @param repeats how many attempts of this step the upstream did not process, before this one */
  private void start(Attempt step, int repeats) {
    UpstreamCall call = clientCall.upstreamCall(step.member(), step.upstreamModel());
    UpstreamAttempt attempt = new UpstreamAttempt(step, call, this, passthroughHeaders, repeats,
        downstream.buffers());
    synchronized (lock) {
      if (over) {
        return;
      }
      current = attempt;
    }
    downstream.onAttemptStarted(step);
    try {
      UpstreamClients.Lease lease = services.clients().lease(step.credential().proxy(), upstreamSettings);
      attempt.holdLease(lease);
      attempt.armFirstEventDeadline(services.scheduler(), upstreamSettings.firstEventTimeout());
      // A reactor that dies under the exchange never calls back: the pool fails it instead, and the loop goes on.
      lease.onLost(attempt::onUpstreamFailed);
      attempt.started(lease.client().execute(
          UpstreamRequest.newPost(step.member().provider(), call.path(), step.credential().entry().apiKey(),
              call.body(), call.stream(), copiedClientHeaders::get),
          attempt.consumer(), null, attempt.context(), new FutureCallback<Void>() {
            @Override
            public void completed(Void result) {}

            @Override
            public void failed(Exception ex) {
              attempt.onUpstreamFailed(ex);
            }

            @Override
            public void cancelled() {
              attempt.onUpstreamFailed(new CancellationException("cancelled"));
            }
          }));
    } catch (RuntimeException e) {
      LOG.warn("{} could not start upstream request to {}: {}", id, step.credential(), e.toString());
      attempt.onUpstreamFailed(e);
    }
  }

  /** The client left: nothing more is tried, and the running attempt is cancelled. Never under a lock. */
  void cancel() {
    UpstreamAttempt running;
    synchronized (lock) {
      over = true;
      running = current;
      current = null;
    }
    if (running != null) {
      services.metrics().attemptFinished(running.attempt().member().provider().name(), AttemptOutcome.CANCELLED);
      running.cancel();
    }
  }

  /** Grants the running attempt more capacity after the client drained. Never under a lock. */
  void grant(int bytes) {
    UpstreamAttempt running = current;
    if (running != null) {
      running.grant(bytes);
    }
  }

  // ---- what the current attempt reports ----

  @Override
  public int capacity() {
    return downstream.capacity();
  }

  @Override
  public boolean onAnswerHead(UpstreamAttempt attempt, AnswerHead head) {
    return attempt == current && downstream.onAnswerHead(attempt.call(), head);
  }

  @Override
  public void onReadStart(UpstreamAttempt attempt, int bytes) {
    if (attempt == current) {
      downstream.onReadStart(attempt.call(), bytes);
    }
  }

  @Override
  public boolean onAnswerEvent(UpstreamAttempt attempt, SseEvent event) {
    return attempt == current && downstream.onAnswerEvent(attempt.call(), event);
  }

  @Override
  public void onAnswerDone(UpstreamAttempt attempt) {
    if (attempt == current) {
      downstream.onAnswerDone(attempt.call());
    }
  }

  @Override
  public void onAnswerComment(UpstreamAttempt attempt) {
    if (attempt == current) {
      downstream.onAnswerComment(attempt.call());
    }
  }

  @Override
  public boolean onAnswerBodyPart(UpstreamAttempt attempt, ByteBuffer part) {
    return attempt == current && downstream.onAnswerBodyPart(attempt.call(), part);
  }

  @Override
  public void onReadEnd(UpstreamAttempt attempt) {
    if (attempt == current) {
      downstream.onReadEnd(attempt.call());
    }
  }

  @Override
  public void onAnswerBody(UpstreamAttempt attempt, byte[] upstreamBody, byte[] clientBody) {
    if (succeeded(attempt)) {
      downstream.onAnswerBody(attempt.call(), upstreamBody, clientBody);
    }
  }

  @Override
  public void onAnswerEnd(UpstreamAttempt attempt) {
    if (succeeded(attempt)) {
      downstream.onAnswerEnd(attempt.call());
    }
  }

  private boolean succeeded(UpstreamAttempt attempt) {
    AffinityOutcome affinity;
    synchronized (lock) {
      if (attempt != current || over) {
        return false;
      }
      over = true;
      current = null;
      affinity = plan.onSuccess(attempt.attempt());
    }
    services.metrics().attemptFinished(attempt.attempt().member().provider().name(), AttemptOutcome.SUCCESS);
    if (affinity != null) {
      services.metrics().sessionAnswered(affinity.label());
    }
    logOutcome(attempt, attempt.status(), null);
    return true;
  }

  @Override
  public void onFailed(UpstreamAttempt attempt, UpstreamFailure failure) {
    AttemptOutcome unprocessed = attempt.repeatableAs();
    if (unprocessed != null && repeated(attempt, failure, unprocessed)) {
      return;
    }
    boolean afterStart = false;
    boolean mustEnd = false;
    synchronized (lock) {
      if (attempt != current || over) {
        return;
      }
      current = null;
      if (!downstream.canFailOver()) {
        over = true;
        afterStart = true;
      } else {
        mustEnd = plan.onFailure(attempt.attempt(), failure);
        over = mustEnd;
      }
    }
    if (UpstreamFailures.poolWasFull(failure)) {
      services.routingState().saturation().refused(attempt.attempt().member().provider().name(),
          upstreamSettings.maxConnectionsPerRoute());
    } else {
      logOutcome(attempt, failure.status(), failure);
    }
    services.metrics().attemptFinished(attempt.attempt().member().provider().name(),
        afterStart ? AttemptOutcome.TRANSIENT : AttemptOutcome.of(failure.kind()));
    if (afterStart) {
      downstream.onFailureAfterStart(failure);
    } else if (mustEnd) {
      downstream.onGiveUp(plan.finalAnswer(failure));
    } else {
      runNext();
    }
  }

  /**
   * The upstream did not process the attempt's request ({@code why}: its pooled connection had gone stale under it,
   * closed as the request left, or it refused the HTTP/2 stream): the same key and model go again at once, on
   * another connection or stream. Not a failure of the upstream: nothing cools, nothing counts against the retry
   * budget. False when the exchange can no longer take another attempt.
   */
  private boolean repeated(UpstreamAttempt attempt, UpstreamFailure failure, AttemptOutcome why) {
    synchronized (lock) {
      if (attempt != current || over || !downstream.canFailOver()) {
        return false;
      }
      current = null;
    }
    LOG.debug("{} upstream {} did not process the request ({}: {}); sending it again", id,
        attempt.attempt().credential(), why.label(), failure.logDetail());
    services.metrics().attemptFinished(attempt.attempt().member().provider().name(), why);
    start(attempt.attempt(), attempt.repeats() + 1);
    return true;
  }

  private void logOutcome(UpstreamAttempt attempt, int status, UpstreamFailure failure) {
    Attempt a = attempt.attempt();
    if (failure != null) {
      LOG.warn("{} client={} upstream {} model={} failed: {} kind={}{}: {}", id, client, a.credential(),
          a.upstreamModel(), failure.describe(), failure.kind(),
          failure.action() == null ? "" : " rule=" + failure.action().name().toLowerCase(Locale.ROOT),
          failure.logDetail() == null ? failure.detail().message() : failure.logDetail());
    } else if (debug ? LOG.isInfoEnabled() : LOG.isDebugEnabled()) {
      // debug: true in config.yaml shows routing decisions at INFO, without touching the logging config.
      String line = "{} client={} route provider={} key={} model={} status={} in {} ms";
      Object[] args = {id, client, a.member().provider().name(), a.credential().maskedKey(), a.upstreamModel(), status,
          (System.nanoTime() - attempt.startNanos()) / 1_000_000};
      if (debug) {
        LOG.info(line, args);
      } else {
        LOG.debug(line, args);
      }
    }
  }
}
