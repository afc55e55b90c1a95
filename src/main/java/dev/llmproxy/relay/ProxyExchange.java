package dev.llmproxy.relay;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.dialect.Answer;
import dev.llmproxy.dialect.ClientCall;
import dev.llmproxy.dialect.ClientDialect;
import dev.llmproxy.dialect.ErrorResponse;
import dev.llmproxy.dialect.TranslationException;
import dev.llmproxy.dialect.UpstreamCall;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.GatewayException;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.metrics.RelayMetrics;
import dev.llmproxy.routing.Attempt;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.ModelRoute;
import dev.llmproxy.routing.PlanStep;
import dev.llmproxy.routing.RetryPolicy;
import dev.llmproxy.routing.RoutePlan;
import dev.llmproxy.routing.UpstreamFailure;
import dev.llmproxy.stream.ClientResponseWriter;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.stream.SseFrameBatch;
import dev.llmproxy.usage.RequestOutcome;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageRecord;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hc.core5.http.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on the data plane, seen from the client's side: parses it in the endpoint's
 * {@link ClientDialect}, has an {@link AttemptLoop} find it an answer, and renders what the loop reports
 * (answers through the attempt's {@link Answer}, errors in the dialect's envelope) into the servlet
 * response; records the outcome; reacts to the client leaving.
 *
 * <p>The response goes through states: {@code OPEN} (nothing sent), {@code PADDED} (status 200 and
 * whitespace went out for a pending non-streaming answer: failover still possible), {@code COMMITTED} (an
 * answer started) and {@code FINISHED} (completion asked for, or the client left).
 *
 * <p>Locking, for the whole relay. Four monitors exist per request and are only ever taken in this order:
 * the {@link UpstreamAttempt}'s, the {@link AttemptLoop}'s, this exchange's {@link #lock}, the
 * {@link ClientResponseWriter}'s. No monitor is held while calling HttpClient (execute, cancel, capacity
 * grants) or completing the {@link AsyncContext}: the methods that may do either ({@link #start},
 * {@link #respondError}, the ending callbacks of the loop, the container's callbacks) take this lock only
 * for the state change and act after releasing it. The writer reports what a write discovers on another
 * thread, so nothing re-enters this exchange while it writes.
 */
final class ProxyExchange implements AttemptLoop.Downstream, ClientResponseWriter.Listener, AsyncListener {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyExchange.class);
  /** What an upstream may send before an answer goes out: enough to judge it, not enough to hurt. */
  static final int PRE_COMMIT_CAPACITY = 64 * 1024;
  /**
   * A chat stream's usage event is a few hundred bytes; larger events are content and are not searched
   * for it. The Responses API's {@code response.completed} event carries the whole answer with its usage,
   * so it is searched whatever its size (once per stream).
   */
  static final int USAGE_EVENT_MAX_BYTES = 4 * 1024;
  private static final byte[] USAGE_KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

  private enum State { OPEN, PADDED, COMMITTED, FINISHED }

  private final String id;
  private final RelayServices services;
  private final GatewaySnapshot snapshot;
  private final ClientDialect dialect;
  /** The endpoint the client called ({@code /v1/messages}), as metrics and usage records name it. */
  private final String endpoint;
  private final long startNanos = System.nanoTime();
  private final HttpServletResponse clientResponse;
  private final AsyncContext asyncContext;
  private final ClientResponseWriter writer;
  private final Map<String, String> copiedClientHeaders;
  private final ClientIdentity client;
  private volatile AttemptLoop loop;

  final Object lock = new Object();
  // Guarded by lock.
  private State state = State.OPEN;
  private String clientModel;
  private boolean routed;
  /** The head of the answer of the current attempt. */
  private AnswerHead head;
  /** The answer that went out, once COMMITTED. */
  private Answer answer;
  private boolean answerIsStream;
  private final SseFrameBatch frames = new SseFrameBatch();
  /** The tokens the upstream reported for the answer, if it did (for the usage ledger). */
  private TokenUsage tokens;
  private boolean outcomeRecorded;
  private SilenceProbe silenceProbe;
  private SilenceProbe padding;
  /** The status the client was sent (0 before any); for metrics and usage records. */
  private int clientStatus;
  /** The provider of the latest attempt, for the usage record. */
  private String provider;
  /** A stream's head went out and {@link RelayMetrics#streamClosed()} is still owed. */
  private boolean streamOpen;

  ProxyExchange(String id, RelayServices services, GatewaySnapshot snapshot, Endpoints.Endpoint endpoint,
      HttpServletResponse clientResponse, AsyncContext asyncContext, ClientResponseWriter writer,
      Map<String, String> copiedClientHeaders, ClientIdentity client) {
    this.id = id;
    this.services = services;
    this.snapshot = snapshot;
    this.dialect = endpoint.dialect();
    this.endpoint = endpoint.path();
    this.clientResponse = clientResponse;
    this.asyncContext = asyncContext;
    this.writer = writer;
    this.copiedClientHeaders = copiedClientHeaders;
    this.client = client;
  }

  String id() {
    return id;
  }

  private GatewayConfig config() {
    return snapshot.config();
  }

  /**
   * Called once the whole body was read: parse, resolve the model, start the first attempt. Whatever goes
   * wrong ends the exchange with an answer: a 400 for what the client must fix, a 500 (and a log line with
   * its id) for a bug of ours. Never under a lock.
   */
  void start(byte[] bytes) {
    try {
      ClientCall call = dialect.parse(bytes);
      ModelRoute route = snapshot.table().find(call.model());
      synchronized (lock) {
        clientModel = call.model();
        routed = route != null;
      }
      if (route == null) {
        LOG.debug("{} unknown model '{}'", id, call.model());
        respondError(new ClientError(404, OpenAiError.modelNotFound(call.model())));
        return;
      }
      call.checkRoute(route.members());
      byte[] local = call.localAnswer();
      if (local != null) {
        respondLocally(local);
        return;
      }
      RoutePlan plan = RoutePlan.create(route, snapshot.table(), config().routing(), RetryPolicy.of(config()),
          services.routingState(), call.stream());
      AttemptLoop newLoop = new AttemptLoop(id, client.toString(), services, plan, call, copiedClientHeaders, config(), this);
      synchronized (lock) {
        if (state == State.FINISHED) {
          return; // the client left while its body was parsed
        }
        loop = newLoop;
      }
      startPadding(call.stream());
      newLoop.runNext();
    } catch (GatewayException e) {
      respondError(ClientError.of(e));
    } catch (TranslationException e) {
      respondError(new ClientError(400, OpenAiError.invalidRequest(e.param(), e.getMessage())));
    } catch (RuntimeException e) {
      LOG.error("{} unexpected failure handling the request, correlation id {}", id, id, e);
      respondError(new ClientError(500, OpenAiError.internal(id)));
    }
  }

  /** Body-reading failures (413, a client that left mid-body, a read error). Never under a lock. */
  void onBodyFailure(Throwable failure) {
    if (failure instanceof GatewayException e) {
      respondError(ClientError.of(e));
    } else {
      LOG.debug("{} reading the request body failed: {}", id, failure.toString());
      respondError(new ClientError(400, OpenAiError.invalidRequest(null, "The request body could not be read.")));
    }
  }

  private void startPadding(boolean stream) {
    Duration keepalive = config().nonStreamKeepaliveInterval();
    if (stream || keepalive.isZero()) {
      return;
    }
    synchronized (lock) {
      if (state == State.OPEN) {
        padding = SilenceProbe.forPendingAnswer(services.scheduler(), keepalive, lock, writer,
            () -> state == State.OPEN || state == State.PADDED, this::commitPaddedHead);
      }
    }
  }

  /** The head of a padded answer: 200 and JSON, whatever the upstream answers later. Under the lock. */
  private void commitPaddedHead() {
    if (state == State.OPEN) {
      state = State.PADDED;
      clientStatus = 200;
      clientResponse.setStatus(200);
      clientResponse.setContentType("application/json");
    }
  }

  // ---- what the loop reports: answers in progress, under the attempt's monitor ----

  @Override
  public int capacity() {
    synchronized (lock) {
      return state == State.COMMITTED ? writer.freeSpace() : PRE_COMMIT_CAPACITY;
    }
  }

  @Override
  public void onAttemptStarted(Attempt attempt) {
    synchronized (lock) {
      provider = attempt.member().provider().name();
      // Tokens a failed attempt reported before it failed are not this answer's.
      tokens = null;
      head = null;
    }
  }

  @Override
  public boolean onAnswerHead(UpstreamCall call, AnswerHead answerHead) {
    synchronized (lock) {
      head = answerHead;
      return state != State.FINISHED;
    }
  }

  @Override
  public void onReadStart(UpstreamCall call, int bytes) {
    synchronized (lock) {
      frames.reserve(bytes, writer::takeSpare);
    }
  }

  @Override
  public boolean onAnswerEvent(UpstreamCall call, SseEvent event) {
    synchronized (lock) {
      if (state == State.FINISHED) {
        return false;
      }
      noteTokens(event);
      call.answer().onEvent(event, frames);
      if (state != State.COMMITTED && !frames.isEmpty()) {
        commitStream(call.answer());
      }
      return true;
    }
  }

  @Override
  public void onAnswerDone(UpstreamCall call) {
    synchronized (lock) {
      if (state == State.COMMITTED) {
        call.answer().onDone(frames);
      }
    }
  }

  @Override
  public void onAnswerComment(UpstreamCall call) {
    synchronized (lock) {
      if (state == State.COMMITTED) {
        call.answer().onComment(frames);
      }
    }
  }

  @Override
  public void onReadEnd(UpstreamCall call) {
    synchronized (lock) {
      sendFrames();
    }
  }

  @Override
  public boolean onAnswerBodyPart(UpstreamCall call, ByteBuffer part) {
    synchronized (lock) {
      if (state == State.FINISHED) {
        return false;
      }
      if (state != State.COMMITTED) {
        commitBody(call.answer(), -1);
      }
      byte[] chunk = new byte[part.remaining()];
      part.get(chunk);
      writer.write(chunk, false);
      return true;
    }
  }

  /**
   * Streams report tokens in one of the last events ({@code stream_options.include_usage}). Events are
   * only copied and parsed when {@code usage} is an object: OpenAI sends {@code "usage":null} in every
   * other chunk. Under the lock.
   */
  private void noteTokens(SseEvent event) {
    boolean mayCarryUsage = event.dataLength() <= USAGE_EVENT_MAX_BYTES || "response.completed".equals(event.name());
    if (mayCarryUsage && event.hasObjectMember(USAGE_KEY)) {
      TokenUsage reported = TokenUsage.of(event.copyData());
      if (reported != null) {
        tokens = reported;
      }
    }
  }

  /** Hands the frames of this read to the client. Under the lock. */
  private void sendFrames() {
    if (frames.isEmpty()) {
      return;
    }
    ByteBuffer batch = frames.take();
    if (state == State.COMMITTED) {
      writer.writeReusable(batch, true);
    }
  }

  private void commitStream(Answer streamed) {
    boolean padded = state == State.PADDED;
    state = State.COMMITTED;
    answer = streamed;
    answerIsStream = true;
    services.metrics().firstByte(dialect.name(), endpoint, routedModel(), System.nanoTime() - startNanos);
    services.metrics().streamOpened();
    streamOpen = true;
    if (!padded) {
      clientStatus = 200;
      passThrough();
      clientResponse.setStatus(200);
      clientResponse.setContentType(streamed.streamContentType());
      clientResponse.setCharacterEncoding("UTF-8");
      clientResponse.setHeader("Cache-Control", "no-cache");
      clientResponse.setHeader("X-Accel-Buffering", "no");
    }
    cancelPadding();
    silenceProbe = SilenceProbe.forStream(services.scheduler(), config().streaming(), streamed::keepAlive, lock,
        writer, () -> state == State.COMMITTED);
  }

  private void commitBody(Answer body, long contentLength) {
    boolean padded = state == State.PADDED;
    state = State.COMMITTED;
    answer = body;
    cancelPadding();
    services.metrics().firstByte(dialect.name(), endpoint, routedModel(), System.nanoTime() - startNanos);
    if (padded) {
      return;
    }
    clientStatus = head.status();
    passThrough();
    clientResponse.setStatus(head.status());
    clientResponse.setContentType(body.bodyContentType(head.contentType()));
    if (contentLength >= 0) {
      clientResponse.setContentLengthLong(contentLength);
    }
  }

  /** Upstream headers the response does not have yet; the gateway's own (set before or after) win. */
  private void passThrough() {
    List<Header> upstreamHeaders = head == null ? List.of() : head.passedThrough();
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

  // ---- what the loop reports: endings, never under a lock ----

  @Override
  public boolean canFailOver() {
    synchronized (lock) {
      return state == State.OPEN || state == State.PADDED;
    }
  }

  @Override
  public void onAnswerBody(UpstreamCall call, byte[] upstreamBody, byte[] clientBody) {
    synchronized (lock) {
      if (state == State.FINISHED) {
        return;
      }
      tokens = TokenUsage.of(upstreamBody);
      commitBody(call.answer(), clientBody.length);
      writer.write(clientBody, false);
      finishLocked(RequestOutcome.SUCCEEDED);
    }
    writer.complete();
  }

  @Override
  public void onAnswerEnd(UpstreamCall call) {
    synchronized (lock) {
      if (state == State.FINISHED) {
        return;
      }
      if (answerIsStream || state != State.COMMITTED) {
        call.answer().onEnd(frames);
        if (state != State.COMMITTED && !frames.isEmpty()) {
          commitStream(call.answer());
        }
        sendFrames();
      }
      finishLocked(RequestOutcome.SUCCEEDED);
    }
    writer.complete();
  }

  @Override
  public void onFailureAfterStart(UpstreamFailure failure) {
    LOG.warn("{} client={} answer ended with an error after it had started", id, client);
    synchronized (lock) {
      if (state == State.FINISHED) {
        return;
      }
      if (answerIsStream) {
        answer.onFailure(ClientErrors.of(failure), frames);
        sendFrames();
      }
      // A JSON body already partly sent cannot be taken back; the client sees a short body.
      finishLocked(RequestOutcome.FAILED);
    }
    writer.complete();
  }

  @Override
  public void onGiveUp(PlanStep.GiveUp giveUp) {
    respondError(ClientErrors.of(giveUp));
  }

  /**
   * Answers with an error in the client's dialect; if an answer had already started, ends it with the
   * dialect's in-stream error instead. Never under a lock.
   */
  void respondError(ClientError error) {
    ErrorResponse response = dialect.error(error);
    synchronized (lock) {
      if (state == State.FINISHED) {
        return;
      }
      if (state == State.COMMITTED) {
        if (answerIsStream) {
          answer.onFailure(error, frames);
          sendFrames();
        }
      } else {
        // A padded answer's head went out as 200 with the padding: the error can only be its body.
        if (state == State.OPEN) {
          clientStatus = response.status();
          clientResponse.setStatus(response.status());
          clientResponse.setContentType(response.contentType());
          clientResponse.setContentLength(response.body().length);
          response.headers().forEach(clientResponse::setHeader);
        }
        writer.write(response.body(), false);
      }
      finishLocked(RequestOutcome.FAILED);
    }
    writer.complete();
  }

  /** The gateway's own answer (token counting): 200 with the dialect's JSON. Never under a lock. */
  private void respondLocally(byte[] json) {
    synchronized (lock) {
      if (state == State.FINISHED) {
        return;
      }
      if (state == State.OPEN) {
        clientStatus = 200;
        clientResponse.setStatus(200);
        clientResponse.setContentType("application/json");
        clientResponse.setContentLength(json.length);
      }
      writer.write(json, false);
      finishLocked(RequestOutcome.SUCCEEDED);
    }
    writer.complete();
  }

  /** The response is over (the caller completes the writer after releasing the lock). Under the lock. */
  private void finishLocked(RequestOutcome outcome) {
    recordOutcome(outcome);
    state = State.FINISHED;
    cancelTimers();
    closeStream();
  }

  /** The model as metrics and usage name it: a configured client id, or {@code (not routed)}. Under the lock. */
  private String routedModel() {
    return routed ? clientModel : RelayMetrics.NOT_ROUTED;
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
    String model = routedModel();
    int status = clientStatus != 0 ? clientStatus : RelayMetrics.CLIENT_CLOSED_REQUEST;
    TokenUsage counted = outcome == RequestOutcome.SUCCEEDED ? tokens : null;
    long nanos = System.nanoTime() - startNanos;
    services.metrics().requestFinished(dialect.name(), endpoint, model, status, nanos);
    if (counted != null) {
      services.metrics().tokens(model, counted.prompt(), counted.completion());
    }
    services.usage().record(UsageRecord.of(Instant.now(), client.toString(), model,
        provider == null ? UsageRecord.NO_PROVIDER : provider, dialect.name(), endpoint, outcome, status, counted,
        nanos / 1_000_000));
  }

  private void closeStream() {
    if (streamOpen) {
      streamOpen = false;
      services.metrics().streamClosed();
    }
  }

  private void cancelTimers() {
    if (silenceProbe != null) {
      silenceProbe.cancel();
      silenceProbe = null;
    }
    cancelPadding();
  }

  private void cancelPadding() {
    if (padding != null) {
      padding.cancel();
      padding = null;
    }
  }

  // ---- the client side; the container and the writer call these without any lock of ours ----

  @Override
  public void onClientDrained() {
    AttemptLoop l = loop;
    if (l != null) {
      l.grant(writer.freeSpace());
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

  /**
   * The client left (or the response completed, {@code reason} null): stop everything and cancel the
   * upstream exchange. When the client side failed, the response is completed here even if the answer
   * had ended: its last bytes were left to the writer, which completes only once it has drained, and a
   * failed client never lets it drain (the writer's failure may be reported after the answer ended).
   */
  private void clientGone(String reason) {
    boolean wasFinished;
    synchronized (lock) {
      wasFinished = state == State.FINISHED;
      if (!wasFinished) {
        recordOutcome(RequestOutcome.CANCELLED);
      }
      state = State.FINISHED;
      cancelTimers();
      closeStream();
    }
    try {
      AttemptLoop l = loop;
      if (l != null) {
        if (reason != null && !wasFinished) {
          LOG.debug("{} client gone ({}); cancelling upstream exchange", id, reason);
        }
        l.cancel();
      }
    } finally {
      if (reason != null) {
        try {
          asyncContext.complete();
        } catch (IllegalStateException ignored) {
          // already completed (by the writer, or by the container)
        }
      }
    }
  }
}
