package dev.llmproxy.relay;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.buffers.BufferAccount;
import dev.llmproxy.buffers.BufferBudgetExceededException;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.config.ModelPrice;
import dev.llmproxy.dialect.Answer;
import dev.llmproxy.dialect.ClientCall;
import dev.llmproxy.dialect.ClientDialect;
import dev.llmproxy.dialect.ErrorResponse;
import dev.llmproxy.dialect.TranslationException;
import dev.llmproxy.dialect.UpstreamCall;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.GatewayException;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.routing.Attempt;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.ClientSession;
import dev.llmproxy.routing.ModelRoute;
import dev.llmproxy.routing.PlanStep;
import dev.llmproxy.routing.RetryPolicy;
import dev.llmproxy.routing.RoutePlan;
import dev.llmproxy.routing.UpstreamFailure;
import dev.llmproxy.stream.ClientResponseWriter;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.stream.SseFrameBatch;
import dev.llmproxy.usage.RequestOutcome;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on the data plane, seen from the client's side: parses it in the endpoint's
 * {@link ClientDialect}, has an {@link AttemptLoop} find it an answer, and renders what the loop reports
 * (answers through the attempt's {@link Answer}, errors in the dialect's envelope) into the servlet
 * response; reports the outcome ({@link ExchangeReport}); reacts to the client leaving.
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
   * What parsing a request body and translating it for the upstream takes, in multiples of the body, reserved from
   * the large-buffer budget before it starts: the tree and the upstream's body. Measured: two 27.7 MB bodies parsed
   * at once ran a 300 MiB heap out of memory in the translation, their read buffers alone within the budget.
   */
  static final int PARSE_COST_FACTOR = 2;

  private enum State { OPEN, PADDED, COMMITTED, FINISHED }

  private final String id;
  private final RelayServices services;
  private final GatewaySnapshot snapshot;
  private final ClientDialect dialect;
  private final AsyncContext asyncContext;
  private final ClientResponseWriter writer;
  private final Map<String, String> copiedClientHeaders;
  private final ClientIdentity client;
  private volatile AttemptLoop loop;
  /** What this exchange's large buffers reserved; given back when the container ends the request. */
  private final BufferAccount buffers;

  final Object lock = new Object();
  // Guarded by lock.
  private State state = State.OPEN;
  private final ResponseHead head;
  private final ExchangeReport report;
  /** The head of the answer of the current attempt. */
  private AnswerHead answerHead;
  /** The answer that went out, once COMMITTED. */
  private Answer answer;
  private boolean answerIsStream;
  private final SseFrameBatch frames;
  private SilenceProbe silenceProbe;
  private SilenceProbe padding;
  private ExchangeDeadline deadline;

  ProxyExchange(String id, RelayServices services, GatewaySnapshot snapshot, Endpoints.Endpoint endpoint,
      HttpServletResponse clientResponse, AsyncContext asyncContext, ClientResponseWriter writer,
      Map<String, String> copiedClientHeaders, ClientIdentity client) {
    this.id = id;
    this.services = services;
    this.snapshot = snapshot;
    this.dialect = endpoint.dialect();
    this.asyncContext = asyncContext;
    this.writer = writer;
    this.copiedClientHeaders = copiedClientHeaders;
    this.client = client;
    this.head = new ResponseHead(clientResponse);
    this.buffers = services.buffers().newAccount();
    this.frames = new SseFrameBatch(buffers.newMeter());
    this.report = new ExchangeReport(services.metrics(), services.usage(), services.limits(), client, dialect.name(),
        endpoint.path());
  }

  String id() {
    return id;
  }

  @Override
  public BufferAccount buffers() {
    return buffers;
  }

  private GatewayConfig config() {
    return snapshot.config();
  }

  /**
   * Called once the whole body was read: parse, resolve the model, ask the client's limits, start the first attempt.
   * Whatever goes wrong ends the exchange with an answer: a 400 for what the client must fix, a refusal of its
   * limits, a 500 (and a log line with its id) for a bug of ours. Never under a lock.
   */
  void start(byte[] bytes) {
    try {
      buffers.newMeter().ensure((long) PARSE_COST_FACTOR * bytes.length);
    } catch (BufferBudgetExceededException e) {
      onBodyFailure(e);
      return;
    }
    try {
      ClientCall parsed = dialect.parse(bytes);
      RequestedModel requested = RequestedModel.resolve(snapshot, client, parsed.model());
      if (requested == null) {
        LOG.debug("{} unknown model '{}'", id, parsed.model());
        respondError(new ClientError(404, OpenAiError.modelNotFound(parsed.model())));
        return;
      }
      ModelRoute route = requested.route();
      ClientCall asked = requested.suffix() == null ? parsed
          : parsed.withReasoningEffort(requested.suffix().effort());
      // Usage records and limits that count tokens need them from streams too, whether the client asked or not.
      ClientCall call = asked.reportingUsage();
      synchronized (lock) {
        report.routedAs(route.id());
        report.requestBytes(bytes.length);
      }
      call.checkRoute(route.members());
      byte[] local = call.localAnswer();
      ClientSession session = config().routing().sessionAffinity() && local == null
          ? ClientSessions.of(copiedClientHeaders::get, bytes) : null;
      CompletableFuture<ClientError> admission = services.limits().admit(client, route.id(), local == null);
      if (admission.isDone()) {
        proceed(call, route, local, session, admission.getNow(null));
      } else {
        // Completed on a Redis or seeding thread, which must not start upstream calls.
        admission.whenCompleteAsync((refusal, failure) -> {
          if (failure != null) {
            onStartFailure(new IllegalStateException("checking the client's limits failed", failure));
          } else {
            proceed(call, route, local, session, refusal);
          }
        }, services.scheduler());
      }
    } catch (RuntimeException e) {
      onStartFailure(e);
    }
  }

  /** Past the limits: refused, answered locally, or off to the upstreams. Never under a lock. */
  private void proceed(ClientCall call, ModelRoute route, byte[] local, ClientSession session, ClientError refusal) {
    try {
      if (refusal != null) {
        LOG.debug("{} client={} refused by its limits: {}", id, client, refusal.error().code());
        respondError(refusal);
        return;
      }
      if (local != null) {
        respondLocally(local);
        return;
      }
      ClientCall rewritten = PayloadRewrite.of(call, config().payload(), route.id(), dialect.name(),
          copiedClientHeaders);
      startLoop(rewritten, RoutePlan.create(route, snapshot.table(), config().routing(), RetryPolicy.of(config()),
          services.routingState(), call.stream(), session));
    } catch (RuntimeException e) {
      onStartFailure(e);
    }
  }

  private void onStartFailure(RuntimeException failure) {
    if (failure instanceof GatewayException e) {
      respondError(ClientError.of(e));
    } else if (failure instanceof TranslationException e) {
      respondError(new ClientError(400, OpenAiError.invalidRequest(e.param(), e.getMessage())));
    } else {
      LOG.error("{} unexpected failure handling the request, correlation id {}", id, id, failure);
      respondError(new ClientError(500, OpenAiError.internal(id)));
    }
  }

  private void startLoop(ClientCall call, RoutePlan plan) {
    AttemptLoop newLoop = new AttemptLoop(id, client.toString(), services, plan, call, copiedClientHeaders, config(),
        this);
    Duration keepalive = config().nonStreamKeepaliveInterval();
    synchronized (lock) {
      if (state == State.FINISHED) {
        return; // the client left while its body was parsed
      }
      loop = newLoop;
      deadline = ExchangeDeadline.start(services.scheduler(), config().upstream().maxDuration(),
          this::onMaxDurationReached);
      if (!call.stream() && !keepalive.isZero()) {
        padding = SilenceProbe.forPendingAnswer(services.scheduler(), keepalive, lock, writer,
            () -> state == State.OPEN || state == State.PADDED, this::commitPaddedHead);
      }
    }
    newLoop.runNext();
  }

  /**
   * The request outlived {@code upstream.max-duration}: whatever runs upstream is cancelled, a stream ends with the
   * dialect's error event, a pending JSON answer becomes a 504. Never under a lock (the scheduler's thread).
   */
  private void onMaxDurationReached() {
    Duration limit = config().upstream().maxDuration();
    LOG.warn("{} client={} request ended after upstream.max-duration ({} s)", id, client, limit.toSeconds());
    AttemptLoop l = loop;
    if (l != null) {
      l.cancel();
    }
    respondError(new ClientError(504, OpenAiError.maxDurationExceeded(limit)));
  }

  /** Body-reading failures (413, a client that left mid-body, a read error). Never under a lock. */
  void onBodyFailure(Throwable failure) {
    if (failure instanceof BufferBudgetExceededException) {
      // Not the client's fault and not a limit it can stay under: other requests hold the memory for now.
      LOG.info("{} request body refused: the gateway's large-buffer budget is spent", id);
      respondError(memoryBusy());
    } else if (failure instanceof GatewayException e) {
      if (e.status() == 408) {
        synchronized (lock) {
          // The rest of the body may still come: the connection cannot carry another request.
          head.closeConnection();
        }
      }
      respondError(ClientError.of(e));
    } else {
      LOG.debug("{} reading the request body failed: {}", id, failure.toString());
      respondError(new ClientError(400, OpenAiError.invalidRequest(null, "The request body could not be read.")));
    }
  }

  /** Status 200 and JSON for a pending non-streaming answer, padded with newlines. Under the lock. */
  private void commitPaddedHead() {
    if (state == State.OPEN) {
      state = State.PADDED;
      head.pad();
      report.status(200);
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
      report.attemptStarted(attempt.member().provider().name(), attempt.member().upstreamModel(),
          attempt.member().price());
      answerHead = null;
    }
  }

  @Override
  public boolean onAnswerHead(UpstreamCall call, AnswerHead upstreamHead) {
    synchronized (lock) {
      answerHead = upstreamHead;
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
      report.tokensOf(event);
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
   * Ends a started stream with the dialect's error event. Must not throw, or the response is never completed: when
   * the frames still pending are what the budget could not take (it failed the answer), they are dropped and the
   * error goes out alone. Under the lock.
   */
  private void sendStreamError(ClientError error) {
    try {
      answer.onFailure(error, frames);
    } catch (RuntimeException first) {
      frames.take();
      try {
        answer.onFailure(error, frames);
      } catch (RuntimeException again) {
        // The error event itself needs what the budget refused (a Responses stream's lists the items it closes,
        // each as long as their text): the stream ends without it rather than never.
        frames.take();
        LOG.warn("{} client={} the stream's error event could not be told ({}); it ends without one", id, client,
            again.toString());
      }
    }
    sendFrames();
  }

  /** Hands the frames of this read to the client (they are dropped once it is over). Under the lock. */
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
    if (state == State.OPEN) {
      report.status(200);
    }
    state = State.COMMITTED;
    answer = streamed;
    answerIsStream = true;
    head.stream(streamed, answerHead);
    report.firstByte(true);
    cancelPadding();
    silenceProbe = SilenceProbe.forStream(services.scheduler(), config().streaming(), streamed::keepAlive, lock,
        writer, () -> state == State.COMMITTED);
  }

  private void commitBody(Answer body, long contentLength) {
    if (state == State.OPEN) {
      report.status(answerHead.status());
    }
    state = State.COMMITTED;
    answer = body;
    head.body(body, answerHead, contentLength);
    report.firstByte(false);
    cancelPadding();
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
      report.tokensOf(upstreamBody);
      commitBody(call.answer(), clientBody.length);
      reportSucceededBeforeTheLastBytes();
      writer.write(clientBody, false);
      finishLocked(RequestOutcome.SUCCEEDED);
    }
    writer.complete();
  }

  @Override
  public void onAnswerEnd(UpstreamCall call) {
    ClientError untold;
    synchronized (lock) {
      if (state == State.FINISHED) {
        return;
      }
      untold = endAnswerLocked(call);
      if (untold == null) {
        finishLocked(RequestOutcome.SUCCEEDED);
      }
    }
    if (untold != null) {
      respondError(untold);
      return;
    }
    writer.complete();
  }

  /**
   * Sends the dialect's end of a streamed (or not yet started) answer; a relayed body has none. Returns what the
   * client is to be told instead when that end could not be written, else {@code null}. Under the lock.
   */
  private ClientError endAnswerLocked(UpstreamCall call) {
    if (!answerIsStream && state == State.COMMITTED) {
      return null;
    }
    try {
      call.answer().onEnd(frames);
    } catch (RuntimeException e) {
      frames.take(); // what the dialect's end left part way is not sent
      return endNotTold(e);
    }
    if (state != State.COMMITTED && !frames.isEmpty()) {
      commitStream(call.answer());
    }
    reportSucceededBeforeTheLastBytes();
    sendFrames();
    return null;
  }

  /**
   * What the client is told when the dialect could not write the answer's end. Its closing events may need more than
   * the large-buffer budget has: a Responses stream's repeat the whole text four times, 60 MB after one 15 MB event.
   * Uncaught here, the exception went back to the upstream's thread, and the stream never ended.
   */
  private ClientError endNotTold(RuntimeException e) {
    if (e instanceof BufferBudgetExceededException) {
      LOG.warn("{} client={} the answer's end did not fit the gateway's large-buffer budget; it ends as gateway_busy",
          id, client);
      return memoryBusy();
    }
    LOG.error("{} client={} the answer's end could not be written", id, client, e);
    return new ClientError(500, OpenAiError.internal(id));
  }

  private static ClientError memoryBusy() {
    return new ClientError(503, OpenAiError.gatewayMemoryBusy(), UpstreamFailures.BUSY_RETRY_AFTER);
  }

  @Override
  public void onFailureAfterStart(UpstreamFailure failure) {
    LOG.warn("{} client={} answer ended with an error after it had started", id, client);
    synchronized (lock) {
      if (state == State.FINISHED) {
        return;
      }
      if (answerIsStream) {
        sendStreamError(ClientErrors.of(failure));
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
          sendStreamError(error);
        }
      } else {
        if (state == State.OPEN) {
          report.status(response.status());
        }
        head.error(response);
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
        report.status(200);
      }
      head.local(json.length);
      reportSucceededBeforeTheLastBytes();
      writer.write(json, false);
      finishLocked(RequestOutcome.SUCCEEDED);
    }
    writer.complete();
  }

  /**
   * Reports a successful end (tokens charged to the client's limits, usage recorded) before the answer's last bytes
   * are written: a client that sends its next request as soon as it has this answer must find this one counted
   * (a container may send a body at once when its Content-Length is reached). {@link #finishLocked} reports nothing
   * twice. Under the lock.
   */
  private void reportSucceededBeforeTheLastBytes() {
    report.ended(RequestOutcome.SUCCEEDED);
  }

  /** The response is over (the caller completes the writer after releasing the lock). Under the lock. */
  private void finishLocked(RequestOutcome outcome) {
    report.ended(outcome);
    state = State.FINISHED;
    cancelTimers();
  }

  private void cancelTimers() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
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
    clientGone("write failed: " + cause.getClass().getSimpleName(), true);
  }

  @Override
  public void onComplete(AsyncEvent event) {
    // The container ends every request here, however it ended: the one place that always runs.
    buffers.close();
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
    clientGone(reason, false);
  }

  /**
   * @param onContainerThread complete the response on a container thread: the writer reports a failed write on the
   *     gateway's shared scheduler, and Jetty's {@code complete()} waits there for the write still pending to be
   *     cancelled, which once held the scheduler, and with it every deadline of every request, for good
   */
  private void clientGone(String reason, boolean onContainerThread) {
    boolean wasFinished;
    synchronized (lock) {
      wasFinished = state == State.FINISHED;
      if (!wasFinished) {
        finishLocked(RequestOutcome.CANCELLED);
      }
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
      if (reason != null && !onContainerThread) {
        completeQuietly();
      } else if (reason != null) {
        try {
          asyncContext.start(this::completeQuietly);
        } catch (IllegalStateException ignored) {
          // already completed (by the writer, or by the container)
        }
      }
    }
  }

  private void completeQuietly() {
    try {
      asyncContext.complete();
    } catch (IllegalStateException ignored) {
      // already completed (by the writer, or by the container)
    }
  }
}
