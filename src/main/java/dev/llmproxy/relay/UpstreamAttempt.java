package dev.llmproxy.relay;

import dev.llmproxy.buffers.BufferAccount;
import dev.llmproxy.buffers.BufferBudgetExceededException;
import dev.llmproxy.config.ErrorRule;
import dev.llmproxy.dialect.UpstreamCall;
import dev.llmproxy.metrics.AttemptOutcome;
import dev.llmproxy.routing.Attempt;
import dev.llmproxy.routing.UpstreamFailure;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.stream.SseEventParser;
import dev.llmproxy.upstream.UpstreamClients;
import dev.llmproxy.upstream.UpstreamListener;
import dev.llmproxy.upstream.UpstreamResponseConsumer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/**
 * One request to one upstream, seen from the upstream side only: it classifies the response head, keeps an
 * error body (bounded) to judge the failure, collects a JSON answer (bounded) so that a broken one can still
 * fail over, and parses an event stream, recognising error events, {@code [DONE]} and whether the stream
 * was complete. It knows no client and no wire format: it reports typed {@link Outcomes}.
 *
 * <p>Threading: HttpClient calls it on a reactor thread, and failures may come on the thread that
 * cancelled. Its state is guarded by its own monitor. It reports in two ways. Outcomes of an answer in
 * progress (head, events, body parts, the end of a read) are reported while it holds its monitor, so they
 * keep their order and never overlap; their receiver may take its own locks but must not call HttpClient or
 * complete the client's response. Outcomes that end the attempt (a whole body, the end, a failure) are
 * reported after the monitor is released, so their receiver may do both. It cancels its HttpClient
 * exchange only without holding its monitor.
 */
final class UpstreamAttempt implements UpstreamListener, SseEventParser.Listener {
  static final int MAX_ERROR_BODY = 64 * 1024;
  /** A JSON answer up to this size is held whole before anything goes to the client, so it can fail over. */
  static final int MAX_HELD_BODY = 1024 * 1024;
  /** A JSON answer that must be translated is held whole up to this size; a larger one is a failure. */
  static final int MAX_TRANSLATED_BODY = 16 * 1024 * 1024;
  static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

  /** What an attempt tells the one who started it. */
  interface Outcomes {
    /** How many more body bytes the client side can take now; 0 holds the upstream back. Under the monitor. */
    int capacity();

    /** A 2xx head: an answer begins. Under the monitor; {@code false} stops the attempt. */
    boolean onAnswerHead(UpstreamAttempt attempt, AnswerHead head);

    /** An upstream read of {@code bytes} bytes begins (room for its frames can be made once). Under the monitor. */
    void onReadStart(UpstreamAttempt attempt, int bytes);

    /** One event of a streamed answer, valid during the call. Under the monitor; {@code false} stops. */
    boolean onAnswerEvent(UpstreamAttempt attempt, SseEvent event);

    /** The stream's {@code data: [DONE]}. Under the monitor. */
    void onAnswerDone(UpstreamAttempt attempt);

    /** A comment (keep-alive) line of the stream. Under the monitor. */
    void onAnswerComment(UpstreamAttempt attempt);

    /**
     * Part of a JSON answer too large to hold, relayed as it comes (only when the answer allows it); the
     * first part is everything held so far. Under the monitor; {@code false} stops.
     */
    boolean onAnswerBodyPart(UpstreamAttempt attempt, ByteBuffer part);

    /** One upstream read was handled: what it produced may go out now. Under the monitor. */
    void onReadEnd(UpstreamAttempt attempt);

    /**
     * The whole JSON answer, as the upstream sent it and as the client gets it ({@link
     * dev.llmproxy.dialect.Answer#body}). Never under the monitor.
     */
    void onAnswerBody(UpstreamAttempt attempt, byte[] upstreamBody, byte[] clientBody);

    /** The streamed (or relayed) answer ended complete. Never under the monitor. */
    void onAnswerEnd(UpstreamAttempt attempt);

    /** The attempt failed, before or after its answer began. Never under the monitor. */
    void onFailed(UpstreamAttempt attempt, UpstreamFailure failure);
  }

  /**
   * What the answer is read as. {@code GATHERED_STREAM}: an event stream answering a request that asked for none,
   * gathered into the whole answer the client asked for ({@link StreamGathering}).
   */
  private enum Mode { WAITING_FOR_HEAD, ERROR, BODY, RELAYED_BODY, STREAM, GATHERED_STREAM }

  /** What an attempt must do once it released its monitor. */
  private enum Ending { NONE, BODY, END, FAILED, STOPPED }

  private final Attempt attempt;
  private final UpstreamCall call;
  private final Outcomes outcomes;
  private final boolean passthroughHeaders;
  /** The exchange's context: HttpCore leaves the connection's details in it. */
  private final HttpClientContext context = HttpClientContext.create();
  /** The HttpClient exchange this attempt runs: cancelled, granted and given back through it. */
  private final UpstreamExchange exchange = new UpstreamExchange(this, context);
  /** Whether the upstream processed this attempt's request, and how many before it, of its step, it did not. */
  private final UnprocessedRequest unprocessed;
  /** The exchange's account: this attempt's large buffers reserve from it. */
  private final BufferAccount buffers;
  private final long startNanos = System.nanoTime();

  // Guarded by this.
  /** What the stream's events say of its end. */
  private final StreamCompletion completion;
  /** What translating this attempt's streamed answer reserved. */
  private final TranslationCharge translation;
  /** Fails the attempt as timed out if its first event does not come in time. */
  private final FirstEventDeadline firstEventDeadline = new FirstEventDeadline();
  private Mode mode = Mode.WAITING_FOR_HEAD;
  private int status;
  private String retryAfter;
  private BodyBuffer held;
  private SseEventParser parser;
  private StreamGathering gathering;
  /** A JSON answer to a request that asked for a stream: held whole, then told as events ({@link BodyReplay}). */
  private boolean replaysBody;
  private boolean sawEvent;
  private boolean done;
  private Ending ending = Ending.NONE;
  private UpstreamFailure failure;
  private byte[] wholeBody;
  private byte[] clientBody;

  /**
   * @param repeats how many attempts of the same step the upstream did not process before this one ({@link
   *     #repeatableAs})
   */
  UpstreamAttempt(Attempt attempt, UpstreamCall call, Outcomes outcomes, boolean passthroughHeaders,
      int repeats, BufferAccount buffers) {
    this.buffers = buffers;
    this.attempt = attempt;
    this.call = call;
    this.outcomes = outcomes;
    this.passthroughHeaders = passthroughHeaders;
    this.completion = new StreamCompletion(call.protocol());
    this.translation = new TranslationCharge(call.answer(), buffers);
    this.unprocessed = new UnprocessedRequest(repeats);
  }

  Attempt attempt() {
    return attempt;
  }

  UpstreamCall call() {
    return call;
  }

  UpstreamResponseConsumer consumer() {
    return exchange.consumer();
  }

  HttpClientContext context() {
    return context;
  }

  int repeats() {
    return unprocessed.repeats();
  }

  /** Why this attempt may go again as if it had not happened ({@link UnprocessedRequest}); {@code null} otherwise. */
  synchronized AttemptOutcome repeatableAs() {
    return unprocessed.repeatableAs();
  }

  long startNanos() {
    return startNanos;
  }

  void holdLease(UpstreamClients.Lease borrowed) {
    exchange.holdLease(borrowed);
  }

  /** The HttpClient exchange, once started; cancelled at once if cancelling was asked for meanwhile. */
  void started(Future<Void> f) {
    exchange.started(f);
  }

  /**
   * Fails this attempt as a timeout unless its first event (a JSON answer: its head) comes within {@code timeout}
   * ({@link FirstEventDeadline}).
   */
  void armFirstEventDeadline(ScheduledExecutorService scheduler, Duration timeout) {
    ScheduledFuture<?> task = scheduler.schedule(() -> onFirstEventOverdue(timeout), timeout.toMillis(),
        TimeUnit.MILLISECONDS);
    synchronized (this) {
      firstEventDeadline.arm(task, done);
    }
  }

  private void onFirstEventOverdue(Duration timeout) {
    synchronized (this) {
      if (done || firstEventDeadline.isMet()) {
        return;
      }
      fail(UpstreamFailures.firstEventOverdue(attempt, timeout));
    }
    finishOutside();
  }

  /** Stops the upstream exchange (idempotent). Never call it while holding a lock of the relay. */
  void cancel() {
    exchange.cancel();
  }

  /** Lets the upstream send more, after the client side drained. Never under a lock of the relay. */
  void grant(int bytes) {
    exchange.grant(bytes);
  }

  @Override
  public int upstreamCapacity() {
    return outcomes.capacity();
  }

  @Override
  public void onUpstreamHead(HttpResponse upstreamResponse) {
    synchronized (this) {
      if (done) {
        return;
      }
      status = upstreamResponse.getCode();
      Header ct = upstreamResponse.getFirstHeader("Content-Type");
      String contentType = ct == null ? null : ct.getValue();
      if (status < 200 || status >= 300) {
        mode = Mode.ERROR;
        firstEventDeadline.meet();
        Header ra = upstreamResponse.getFirstHeader("Retry-After");
        retryAfter = ra == null ? null : ra.getValue();
        held = new BodyBuffer(512, buffers.newMeter());
      } else {
        Header encoding = upstreamResponse.getFirstHeader("Content-Encoding");
        if (encoding != null && !"identity".equalsIgnoreCase(encoding.getValue().trim())) {
          // We ask for identity; a body compressed anyway would reach clients as bytes labelled JSON.
          fail(UpstreamFailures.undecodable(attempt, encoding.getValue()));
        } else if (status == 204 || status == 205) {
          fail(UpstreamFailures.brokenAnswer(attempt, "the upstream answered HTTP " + status + ", with no content"));
        } else {
          boolean stream = contentType != null && contentType.regionMatches(true, 0, "text/event-stream", 0, 17);
          if (stream && StreamGathering.gathers(call)) {
            // Asked for one answer, sent a stream anyway: the client still gets one answer.
            stream = false;
            contentType = "application/json";
            mode = Mode.GATHERED_STREAM;
            gathering = new StreamGathering(MAX_TRANSLATED_BODY, buffers.newMeter());
          } else {
            mode = stream ? Mode.STREAM : Mode.BODY;
          }
          if (mode == Mode.BODY) {
            firstEventDeadline.meet();
            held = new BodyBuffer(initialBodyCapacity(upstreamResponse), buffers.newMeter());
            replaysBody = BodyReplay.replays(call);
          } else {
            parser = StreamCompletion.newParser(this, MAX_EVENT_BYTES, buffers);
          }
          List<Header> passed = passthroughHeaders ? PassedThroughHeaders.of(upstreamResponse, attempt) : List.of();
          if (!outcomes.onAnswerHead(this, new AnswerHead(status, contentType, stream, passed))) {
            stop();
          }
        }
      }
    }
    finishOutside();
  }

  /**
   * The declared length when it fits (chat completions are mostly far below the 4 KiB guess, whose
   * zeroing alone showed up in the profile), else 4 KiB. Read from the header because HttpClient's entity
   * details carry no length for HTTP/2 responses.
   */
  private static int initialBodyCapacity(HttpResponse upstreamResponse) {
    Header length = upstreamResponse.getFirstHeader("Content-Length");
    if (length != null) {
      try {
        long n = Long.parseLong(length.getValue().trim());
        if (n >= 0 && n <= MAX_HELD_BODY) {
          return (int) n;
        }
      } catch (NumberFormatException ignored) {
        // fall through to the guess
      }
    }
    return 4096;
  }

  @Override
  public void onUpstreamData(ByteBuffer data) {
    synchronized (this) {
      if (done) {
        data.position(data.limit());
        return;
      }
      try {
        switch (mode) {
          case ERROR -> held.append(data, MAX_ERROR_BODY);
          case BODY -> holdBody(data);
          case RELAYED_BODY -> relayBody(data);
          case STREAM -> feedStream(data);
          case GATHERED_STREAM -> feedEvents(data);
          default -> data.position(data.limit());
        }
      } catch (BufferBudgetExceededException e) {
        data.position(data.limit());
        failOutOfBudget();
      }
    }
    finishOutside();
  }

  private void holdBody(ByteBuffer data) {
    boolean relays = call.answer().relaysLargeBodies() && !replaysBody;
    int limit = relays ? Integer.MAX_VALUE : MAX_TRANSLATED_BODY + 1;
    held.append(data, limit);
    if (held.size() <= MAX_HELD_BODY) {
      return;
    }
    if (relays) {
      // Too large to hold for failover: pass it on as it comes.
      mode = Mode.RELAYED_BODY;
      byte[] sofar = held.toArray();
      held = null;
      relayBody(ByteBuffer.wrap(sofar));
    } else if (held.size() > MAX_TRANSLATED_BODY) {
      fail(UpstreamFailures.brokenAnswer(attempt, "the upstream answer is larger than "
          + MAX_TRANSLATED_BODY + " bytes"));
    }
  }

  private void relayBody(ByteBuffer data) {
    if (!outcomes.onAnswerBodyPart(this, data)) {
      stop();
    }
    data.position(data.limit());
  }

  /**
   * The events of one upstream read are reported one by one, then the end of the read once: the client side
   * sends what they produced in one write (see {@code SseFrameBatch}).
   */
  private void feedStream(ByteBuffer data) {
    outcomes.onReadStart(this, data.remaining());
    feedEvents(data);
    outcomes.onReadEnd(this);
  }

  private void feedEvents(ByteBuffer data) {
    try {
      parser.feed(data);
    } catch (SseEventParser.EventTooLargeException e) {
      failEventTooLarge();
    }
  }

  @Override
  public void onEvent(SseEvent event) {
    if (done) {
      return;
    }
    firstEventDeadline.meet();
    if (event.isDone()) {
      completion.onDone();
      if (gathering == null) {
        outcomes.onAnswerDone(this);
      }
      return;
    }
    if (!event.looksLikeJsonObject()) {
      fail(UpstreamFailures.brokenStream(attempt, "the upstream sent a malformed event"));
      return;
    }
    if (StreamCompletion.isErrorEvent(event)) {
      fail(UpstreamFailures.fromErrorEvent(attempt, event.copyData(), Instant.now(), errorRules()));
      return;
    }
    completion.noteCompletion(event);
    sawEvent = true;
    if (gathering != null) {
      String broken = gathering.add(event);
      if (broken != null) {
        fail(UpstreamFailures.brokenStream(attempt, broken));
      }
    } else {
      relayEvent(event);
    }
  }

  private void relayEvent(SseEvent event) {
    translation.charge(event);
    boolean more;
    try {
      more = outcomes.onAnswerEvent(this, event);
    } catch (BufferBudgetExceededException e) {
      throw e; // not the event's fault: failed by onUpstreamData
    } catch (RuntimeException e) {
      // The dialect's translator could not read it (not JSON, say): the upstream's fault, not a lost connection.
      fail(UpstreamFailures.unreadableEvent(attempt, e));
      return;
    }
    if (!more) {
      stop();
    }
  }

  @Override
  public void onComment(String text) {
    if (!done && gathering == null) {
      outcomes.onAnswerComment(this);
    }
  }

  @Override
  public void onUpstreamEnd() {
    exchange.onFinished();
    synchronized (this) {
      if (done) {
        return;
      }
      try {
        switch (mode) {
          case ERROR -> fail(UpstreamFailures.fromResponse(attempt, status, held.toArray(), retryAfter, Instant.now(),
              errorRules()));
          case BODY -> {
            byte[] body = held.toArray();
            held = null;
            if (body.length == 0) {
              fail(UpstreamFailures.brokenAnswer(attempt, "the upstream answer is empty"));
            } else if (UpstreamFailures.hasErrorObject(body)) {
              // A 200 carrying an error object (some servers answer so when overloaded): judged as the error it
              // names, as the same object in a stream is, so it fails over instead of reaching the client as a 200.
              fail(UpstreamFailures.fromErrorEvent(attempt, body, Instant.now(), errorRules()));
            } else if (replaysBody) {
              replayBody(body);
            } else {
              endWithBody(body);
            }
          }
          case RELAYED_BODY -> endComplete();
          case STREAM, GATHERED_STREAM -> endStream();
          default -> { }
        }
      } catch (BufferBudgetExceededException e) {
        failOutOfBudget();
      }
    }
    finishOutside();
  }

  /** Tells the held JSON answer as the stream the client asked for, through the stream's own path. */
  private void replayBody(byte[] body) {
    byte[] events;
    try {
      events = BodyReplay.events(body);
    } catch (IllegalArgumentException e) {
      fail(UpstreamFailures.brokenAnswer(attempt, "the upstream answered a stream request with JSON that cannot be "
          + "told as a stream (" + e.getMessage() + ")"));
      return;
    }
    mode = Mode.STREAM;
    parser = StreamCompletion.newParser(this, MAX_EVENT_BYTES, buffers);
    feedStream(ByteBuffer.wrap(events));
    if (!done) {
      endStream();
    }
  }

  /** Other exchanges hold the gateway's memory for large buffers: this answer fails, the upstream blameless. */
  private void failOutOfBudget() {
    fail(UpstreamFailures.outOfBufferBudget(attempt));
  }

  private void failEventTooLarge() {
    fail(UpstreamFailures.brokenStream(attempt, "the upstream sent an event larger than " + MAX_EVENT_BYTES + " bytes"));
  }

  private void endStream() {
    try {
      parser.finish();
    } catch (SseEventParser.EventTooLargeException e) {
      failEventTooLarge();
    }
    if (gathering == null) {
      outcomes.onReadEnd(this);
    }
    if (done) {
      return;
    }
    if (!sawEvent) {
      fail(UpstreamFailures.brokenStream(attempt, "the upstream stream ended before its first event"));
    } else if (completion.isComplete() && gathering != null) {
      endWithBody(gathering.answer());
    } else if (completion.isComplete()) {
      endComplete();
    } else {
      fail(UpstreamFailures.brokenStream(attempt, "the upstream stream ended before the answer was complete"));
    }
  }

  /** The streamed (or relayed) answer ended complete. */
  private void endComplete() {
    done = true;
    ending = Ending.END;
  }

  /**
   * The whole answer is in: translated here, before the attempt counts as a success, so one that cannot be read
   * fails over.
   */
  private void endWithBody(byte[] upstreamBody) {
    try {
      clientBody = call.answer().body(upstreamBody);
    } catch (RuntimeException e) {
      // Why, in the log only: the client is told no class name of ours.
      fail(UpstreamFailures.brokenAnswer(attempt, "the upstream answer could not be read", e.toString()));
      return;
    }
    wholeBody = upstreamBody;
    done = true;
    ending = Ending.BODY;
  }

  @Override
  public void onUpstreamFailed(Exception cause) {
    exchange.onFinished();
    synchronized (this) {
      if (done) {
        return;
      }
      if (cause instanceof CancellationException) {
        done = true;
        ending = Ending.STOPPED;
      } else if ((mode == Mode.STREAM || mode == Mode.GATHERED_STREAM) && completion.isComplete()) {
        // The answer was whole before the connection went (a Content-Length longer than what was sent, a reset
        // after [DONE]): it ends as it would have, never with an error after its end.
        if (gathering != null) {
          endWithBody(gathering.answer());
        } else {
          outcomes.onReadEnd(this);
          endComplete();
        }
      } else {
        boolean answerBegun = mode != Mode.WAITING_FOR_HEAD && mode != Mode.ERROR;
        if (mode == Mode.WAITING_FOR_HEAD) {
          unprocessed.onFailedBeforeHead(cause, context);
        }
        fail(answerBegun ? UpstreamFailures.brokenOff(attempt, cause) : UpstreamFailures.fromException(attempt, cause));
      }
    }
    finishOutside();
  }

  @Override
  public void onUpstreamReleased() {
    exchange.onFinished();
  }

  private void fail(UpstreamFailure f) {
    done = true;
    ending = Ending.FAILED;
    failure = f;
  }

  /** The receiver of the outcomes wants nothing more from this upstream. */
  private void stop() {
    done = true;
    ending = Ending.STOPPED;
  }

  /**
   * Acts on an ending recorded under the monitor, now that it is released: cancels what is still running
   * upstream and reports the ending, once.
   */
  private void finishOutside() {
    Ending how;
    UpstreamFailure f;
    byte[] body;
    byte[] translated;
    synchronized (this) {
      how = ending;
      if (how == Ending.NONE) {
        return;
      }
      firstEventDeadline.disarm();
      ending = null;
      f = failure;
      body = wholeBody;
      translated = clientBody;
      wholeBody = null;
      clientBody = null;
    }
    if (how == null) {
      return; // reported already
    }
    if (how == Ending.FAILED || how == Ending.STOPPED) {
      cancel();
    }
    switch (how) {
      case BODY -> outcomes.onAnswerBody(this, body, translated);
      case END -> outcomes.onAnswerEnd(this);
      case FAILED -> outcomes.onFailed(this, f);
      default -> { }
    }
  }

  private List<ErrorRule> errorRules() {
    return attempt.member().provider().requestScopedErrors();
  }

  /** The upstream status seen, or 0 before the head. For logs. */
  synchronized int status() {
    return status;
  }
}
