package dev.llmproxy.relay;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.error.ErrorResponses;
import dev.llmproxy.error.GatewayException;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.metrics.AttemptOutcome;
import dev.llmproxy.metrics.RelayMetrics;
import dev.llmproxy.routing.Attempt;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.ModelRoute;
import dev.llmproxy.routing.PlanStep;
import dev.llmproxy.routing.RetryPolicy;
import dev.llmproxy.routing.RoutePlan;
import dev.llmproxy.routing.UpstreamFailure;
import dev.llmproxy.stream.ClientResponseWriter;
import dev.llmproxy.stream.SseFrames;
import dev.llmproxy.usage.RequestOutcome;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageRecord;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on the data plane, from its parsed body to the last byte: walks the
 * {@link RoutePlan} (failover and retries happen only before anything was sent to the client), relays
 * the chosen upstream response through {@link AttemptHandler}, and reacts to the client leaving.
 *
 * <p>Threading: container threads (start, write callbacks, async events), HttpClient reactor threads
 * (upstream callbacks) and the scheduler (retry waits, keep-alive) all enter; every piece of state is
 * guarded by {@link #lock}. Lock order is exchange lock, then the writer's monitor. Calls into
 * HttpClient (execute, cancel, capacity) are made without holding the lock.
 */
final class ProxyExchange implements ClientResponseWriter.Listener, AsyncListener {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyExchange.class);
  /** The client wire format, as metrics and usage records name it. */
  static final String DIALECT = "openai";

  final Object lock = new Object();
  private final String id;
  private final RelayServices services;
  private final GatewaySnapshot snapshot;
  private final Endpoint endpoint;
  private final HttpServletResponse clientResponse;
  private final AsyncContext asyncContext;
  private final ClientResponseWriter writer;
  private final Map<String, String> copiedClientHeaders;
  private final ClientIdentity client;

  private ClientRequestBody body;
  private RoutePlan plan;
  private AttemptHandler current;
  private boolean committed;
  /** Status 200 went out with only whitespace ({@link SilenceProbe#forPendingAnswer}); failover still possible. */
  private boolean padded;
  private boolean finished;
  /** The tokens the upstream reported for the answer, if it did (for the usage ledger). */
  private TokenUsage tokens;
  private boolean outcomeRecorded;
  private SilenceProbe silenceProbe;
  private SilenceProbe padding;
  private final long startNanos = System.nanoTime();
  /** The status the client was sent (0 before any); for metrics and usage records. */
  private int clientStatus;
  /** The provider of the latest attempt, for the usage record. */
  private String provider;
  /** A stream's head went out and {@link RelayMetrics#streamClosed()} is still owed. */
  private boolean streamOpen;

  ProxyExchange(String id, RelayServices services, GatewaySnapshot snapshot, Endpoint endpoint,
      HttpServletResponse clientResponse, AsyncContext asyncContext, ClientResponseWriter writer,
      Map<String, String> copiedClientHeaders, ClientIdentity client) {
    this.id = id;
    this.services = services;
    this.snapshot = snapshot;
    this.endpoint = endpoint;
    this.clientResponse = clientResponse;
    this.asyncContext = asyncContext;
    this.writer = writer;
    this.copiedClientHeaders = copiedClientHeaders;
    this.client = client;
  }

  String id() {
    return id;
  }

  /** Who asked, for the logs: {@code user alice}, {@code key sk-a...1234} or {@code anonymous}. */
  ClientIdentity client() {
    return client;
  }

  GatewayConfig config() {
    return snapshot.config();
  }

  Endpoint endpoint() {
    return endpoint;
  }

  /** The model id as the client asked for it (an alias, perhaps with a provider prefix). */
  String clientModel() {
    return body.model();
  }

  /** Called once the whole body was read: parse, resolve the model, start the first attempt. */
  void start(byte[] bytes) {
    try {
      body = ClientRequestBody.parse(bytes);
    } catch (GatewayException e) {
      respondError(e.status(), ErrorResponses.toJson(e.error()), null);
      return;
    }
    ModelRoute route = snapshot.table().find(body.model());
    if (route == null) {
      LOG.debug("{} unknown model '{}'", id, body.model());
      respondError(404, ErrorResponses.toJson(OpenAiError.modelNotFound(body.model())), null);
      return;
    }
    synchronized (lock) {
      plan = RoutePlan.create(route, snapshot.table(), config().routing(), RetryPolicy.of(config()),
          services.routingState(), body.stream());
      Duration keepalive = config().nonStreamKeepaliveInterval();
      if (!body.stream() && !keepalive.isZero()) {
        padding = SilenceProbe.forPendingAnswer(services.scheduler(), keepalive, lock, writer,
            () -> !committed && !finished, this::commitPaddedHead);
      }
    }
    runNext();
  }

  /** Asks the plan what to do next and does it. Any thread; never holds the lock while calling out. */
  void runNext() {
    PlanStep step;
    synchronized (lock) {
      if (finished) {
        return;
      }
      step = plan.next();
    }
    if (step instanceof PlanStep.Try t) {
      startAttempt(t.attempt());
    } else if (step instanceof PlanStep.Wait w) {
      LOG.debug("{} all candidates cooling; retrying in {} ms", id, w.delay().toMillis());
      services.scheduler().schedule(this::runNext, w.delay().toMillis(), TimeUnit.MILLISECONDS);
    } else if (step instanceof PlanStep.GiveUp g) {
      respondError(g.status(), g.body(), g.retryAfter());
    }
  }

  private void startAttempt(Attempt attempt) {
    AttemptHandler handler = new AttemptHandler(this, attempt);
    synchronized (lock) {
      if (finished) {
        return;
      }
      current = handler;
      provider = attempt.member().provider().name();
      // Tokens a failed attempt reported before it failed are not this answer's.
      tokens = null;
    }
    try {
      var lease = services.clients().lease(attempt.credential().proxy(), config().upstream());
      handler.holdLease(lease);
      var client = lease.client();
      var producer = dev.llmproxy.upstream.UpstreamRequest.newPost(attempt.member().provider(),
          endpoint.upstreamPath(), attempt.credential().entry().apiKey(), body.withModel(attempt.upstreamModel()),
          body.stream(), copiedClientHeaders::get);
      handler.started(client.execute(producer, handler.consumer(), null, HttpClientContext.create(),
          new FutureCallback<Void>() {
            @Override
            public void completed(Void result) {}

            @Override
            public void failed(Exception ex) {
              handler.onUpstreamFailed(ex);
            }

            @Override
            public void cancelled() {
              handler.onUpstreamFailed(new java.util.concurrent.CancellationException("cancelled"));
            }
          }));
    } catch (RuntimeException e) {
      LOG.warn("{} could not start upstream request to {}: {}", id, attempt.credential(), e.toString());
      handler.onUpstreamFailed(e);
    }
  }

  /** The current attempt failed before anything reached the client. */
  void attemptFailed(AttemptHandler handler, UpstreamFailure failure) {
    boolean mustEnd;
    synchronized (lock) {
      if (handler != current || finished) {
        return;
      }
      current = null;
      mustEnd = plan.onFailure(handler.attempt(), failure);
    }
    services.metrics().attemptFinished(handler.attempt().member().provider().name(), AttemptOutcome.of(failure.kind()));
    LOG.warn("{} client={} upstream {} model={} failed: status={} kind={}{}", id, client,
        handler.attempt().credential(), handler.attempt().upstreamModel(), failure.status(), failure.kind(),
        failure.action() == null ? "" : " rule=" + failure.action().name().toLowerCase(Locale.ROOT));
    if (mustEnd) {
      PlanStep.GiveUp answer = plan.finalAnswer(failure);
      respondError(answer.status(), answer.body(), answer.retryAfter());
    } else {
      runNext();
    }
  }

  /** The upstream's token counts for the answer being relayed; the last report wins. Under the lock. */
  void reportTokens(TokenUsage reported) {
    tokens = reported;
  }

  /**
   * Reports this request once, to metrics and to usage, under the model it was routed as. Under the lock:
   * both only count and queue, they never block.
   */
  private void recordOutcome(RequestOutcome outcome) {
    if (outcomeRecorded) {
      return;
    }
    outcomeRecorded = true;
    String model = plan != null ? body.model() : RelayMetrics.NOT_ROUTED;
    int status = clientStatus != 0 ? clientStatus : RelayMetrics.CLIENT_CLOSED_REQUEST;
    TokenUsage counted = outcome == RequestOutcome.SUCCEEDED ? tokens : null;
    long nanos = System.nanoTime() - startNanos;
    services.metrics().requestFinished(DIALECT, endpoint.clientPath(), model, status, nanos);
    if (counted != null) {
      services.metrics().tokens(model, counted.prompt(), counted.completion());
    }
    services.usage().record(UsageRecord.of(Instant.now(), client.toString(), model,
        provider == null ? UsageRecord.NO_PROVIDER : provider, DIALECT, endpoint.clientPath(), outcome, status,
        counted, nanos / 1_000_000));
  }

  void attemptSucceeded(AttemptHandler handler) {
    synchronized (lock) {
      recordOutcome(RequestOutcome.SUCCEEDED);
      plan.onSuccess(handler.attempt());
    }
    services.metrics().attemptFinished(handler.attempt().member().provider().name(), AttemptOutcome.SUCCESS);
  }

  boolean isCurrent(AttemptHandler handler) {
    return handler == current && !finished;
  }

  boolean isCommitted() {
    return committed;
  }

  int clientCapacity() {
    return writer.freeSpace();
  }

  // ---- writing to the client; callers hold the lock ----

  void commitBody(int status, String contentType, long contentLength, List<Header> upstreamHeaders) {
    committed = true;
    services.metrics().firstByte(DIALECT, endpoint.clientPath(), body.model(), System.nanoTime() - startNanos);
    if (padded) {
      return;
    }
    passThrough(upstreamHeaders);
    clientStatus = status;
    clientResponse.setStatus(status);
    clientResponse.setContentType(contentType == null ? "application/json" : contentType);
    if (contentLength >= 0) {
      clientResponse.setContentLengthLong(contentLength);
    }
  }

  void commitStream(List<Header> upstreamHeaders) {
    committed = true;
    services.metrics().firstByte(DIALECT, endpoint.clientPath(), body.model(), System.nanoTime() - startNanos);
    services.metrics().streamOpened();
    streamOpen = true;
    if (!padded) {
      clientStatus = 200;
      passThrough(upstreamHeaders);
      clientResponse.setStatus(200);
      clientResponse.setContentType("text/event-stream");
      clientResponse.setCharacterEncoding("UTF-8");
      clientResponse.setHeader("Cache-Control", "no-cache");
      clientResponse.setHeader("X-Accel-Buffering", "no");
    }
    silenceProbe = SilenceProbe.forStream(services.scheduler(), config().streaming(), lock, writer,
        () -> committed && !finished);
  }

  void write(byte[] chunk, boolean flush) {
    writer.write(chunk, flush);
  }

  /** Relayed frames in an array the writer may hand back for reuse once written ({@link #spareBuffer}). */
  void writeFrames(ByteBuffer frames, boolean flush) {
    writer.writeReusable(frames, flush);
  }

  /** An array the client writer no longer uses, of at least {@code minLength} bytes, or {@code null}. */
  byte[] spareBuffer(int minLength) {
    return writer.takeSpare(minLength);
  }

  /** Upstream headers the response does not have yet; the gateway's own (set before or after) win. */
  private void passThrough(List<Header> upstreamHeaders) {
    if (upstreamHeaders.isEmpty()) {
      return;
    }
    Set<String> own = new HashSet<>();
    for (Header h : upstreamHeaders) {
      if (clientResponse.containsHeader(h.getName())) {
        own.add(h.getName().toLowerCase(Locale.ROOT));
      }
    }
    for (Header h : upstreamHeaders) {
      if (!own.contains(h.getName().toLowerCase(Locale.ROOT))) {
        clientResponse.addHeader(h.getName(), h.getValue());
      }
    }
  }

  /** The head of a padded answer: 200 and JSON, whatever the upstream answers later. Under the lock. */
  private void commitPaddedHead() {
    if (!padded) {
      padded = true;
      clientStatus = 200;
      clientResponse.setStatus(200);
      clientResponse.setContentType("application/json");
    }
  }

  /** Ends a successful response. */
  void finish() {
    finished = true;
    cancelTimers();
    closeStream();
    writer.complete();
  }

  private void closeStream() {
    if (streamOpen) {
      streamOpen = false;
      services.metrics().streamClosed();
    }
  }

  /** After the first byte: one final {@code data: {"error":..}} event, then the end. Never a clean close. */
  void finishStreamWithError(byte[] errorJson) {
    LOG.warn("{} client={} stream ended with an error after it had started", id, client);
    if (current != null) {
      services.metrics().attemptFinished(current.attempt().member().provider().name(), AttemptOutcome.TRANSIENT);
    }
    recordOutcome(RequestOutcome.FAILED);
    writer.write(SseFrames.encode(null, errorJson), true);
    finish();
  }

  private void cancelTimers() {
    if (silenceProbe != null) {
      silenceProbe.cancel();
      silenceProbe = null;
    }
    if (padding != null) {
      padding.cancel();
      padding = null;
    }
  }

  /** Answers with an error; if the stream had already started, ends it with an error event instead. */
  void respondError(int status, byte[] errorJson, Duration retryAfter) {
    synchronized (lock) {
      if (finished) {
        return;
      }
      if (committed) {
        finishStreamWithError(errorJson);
        return;
      }
      if (!padded) {
        clientStatus = status;
      }
      recordOutcome(RequestOutcome.FAILED);
      // A padded answer's head went out as 200 with the padding: the error can only be its body.
      if (!padded) {
        clientResponse.setStatus(status);
        clientResponse.setContentType("application/json");
        clientResponse.setContentLength(errorJson.length);
        if (retryAfter != null) {
          clientResponse.setHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
      }
      committed = true;
      writer.write(errorJson, false);
      finish();
    }
  }

  // ---- the client side ----

  @Override
  public void onClientDrained() {
    AttemptHandler handler;
    synchronized (lock) {
      handler = current;
    }
    if (handler != null) {
      handler.consumer().grant(writer.freeSpace());
    }
  }

  @Override
  public void onClientWriteFailed(Throwable cause) {
    clientGone("write failed: " + cause.getClass().getSimpleName());
  }

  @Override
  public void onComplete(AsyncEvent event) {
    clientGone(null);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    clientGone("async timeout");
  }

  @Override
  public void onError(AsyncEvent event) {
    clientGone("client error");
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    event.getAsyncContext().addListener(this);
  }

  /** The client left (or the response completed): stop everything and cancel the upstream exchange. */
  private void clientGone(String reason) {
    AttemptHandler handler;
    boolean wasFinished;
    synchronized (lock) {
      wasFinished = finished;
      if (!wasFinished) {
        recordOutcome(RequestOutcome.CANCELLED);
      }
      finished = true;
      cancelTimers();
      closeStream();
      handler = current;
      current = null;
    }
    if (!wasFinished && handler != null) {
      services.metrics().attemptFinished(handler.attempt().member().provider().name(), AttemptOutcome.CANCELLED);
    }
    if (handler != null) {
      if (reason != null) {
        LOG.debug("{} client gone ({}); cancelling upstream exchange", id, reason);
      }
      handler.cancel();
    }
    if (!wasFinished && reason != null) {
      try {
        asyncContext.complete();
      } catch (IllegalStateException ignored) {
        // already completed by the container
      }
    }
  }
}
