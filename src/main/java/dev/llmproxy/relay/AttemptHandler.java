package dev.llmproxy.relay;

import dev.llmproxy.config.ErrorRule;
import dev.llmproxy.error.ErrorResponses;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.routing.Attempt;
import dev.llmproxy.routing.UpstreamFailure;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.stream.SseEventParser;
import dev.llmproxy.stream.SseFrameBatch;
import dev.llmproxy.stream.SseFrames;
import dev.llmproxy.upstream.UpstreamClients;
import dev.llmproxy.upstream.UpstreamListener;
import dev.llmproxy.upstream.UpstreamResponseConsumer;
import dev.llmproxy.usage.TokenUsage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream attempt of a {@link ProxyExchange}: decides from the response head whether this is an
 * error (buffered, bounded, then classified for failover), a JSON body (buffered up to a limit so a
 * broken body can still fail over, then passed through) or an event stream (parsed event by event,
 * the client response committed at the first real event). All state is guarded by the exchange lock;
 * failures are reported to the exchange after the lock is released.
 */
final class AttemptHandler implements UpstreamListener, SseEventParser.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptHandler.class);
  static final int MAX_ERROR_BODY = 64 * 1024;
  static final int MAX_BUFFERED_BODY = 1024 * 1024;
  static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;
  static final int PRE_COMMIT_CAPACITY = 64 * 1024;
  /**
   * A chat stream's usage event is a few hundred bytes; larger events are content and are not searched
   * for it. The Responses API's {@code response.completed} event carries the whole answer with its usage,
   * so it is searched whatever its size (once per stream).
   */
  static final int USAGE_EVENT_MAX_BYTES = 4 * 1024;
  private static final byte[] USAGE_KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

  private enum Mode { WAITING_FOR_HEAD, ERROR, BODY, STREAM }

  private final ProxyExchange exchange;
  private final Attempt attempt;
  private final UpstreamResponseConsumer consumer = new UpstreamResponseConsumer(this);
  private final long startNanos = System.nanoTime();
  private volatile Future<Void> future;
  /**
   * The upstream response ended (or failed) by itself. Cancelling after that would abort an exchange
   * HttpClient is about to complete and throw away a reusable connection (HTTP/1.1) or reset a stream
   * (h2): the exchange's completion re-enters {@link #cancel} through the async listener.
   */
  private volatile boolean upstreamFinished;
  /** The pooled client this attempt borrowed; given back once the upstream exchange is over. */
  private volatile UpstreamClients.Lease lease;

  private Mode mode = Mode.WAITING_FOR_HEAD;
  private int status;
  private String contentType;
  private String retryAfter;
  private BodyBuffer buffered;
  private SseEventParser parser;
  /** Frames for the client from the upstream read being parsed; sent whole at the end of the read. */
  private final SseFrameBatch frames = new SseFrameBatch();
  private boolean sawDone;
  private boolean done;
  private UpstreamFailure pendingFailure;
  /** Upstream response headers for the client ({@code passthrough-headers}); empty unless enabled. */
  private List<Header> passedThrough = List.of();

  AttemptHandler(ProxyExchange exchange, Attempt attempt) {
    this.exchange = exchange;
    this.attempt = attempt;
  }

  Attempt attempt() {
    return attempt;
  }

  UpstreamResponseConsumer consumer() {
    return consumer;
  }

  void holdLease(UpstreamClients.Lease borrowed) {
    this.lease = borrowed;
  }

  /** Gives the client back (idempotent): a retired pool closes when its last exchange does this. */
  private void releaseLease() {
    UpstreamClients.Lease l = lease;
    if (l != null) {
      l.release();
    }
  }

  @Override
  public void onUpstreamReleased() {
    upstreamFinished = true;
    releaseLease();
  }

  void started(Future<Void> f) {
    this.future = f;
    if (done && !upstreamFinished) {
      f.cancel(true);
    }
  }

  void cancel() {
    Future<Void> f = future;
    if (f != null && !upstreamFinished) {
      f.cancel(true);
    }
  }

  @Override
  public void onUpstreamHead(HttpResponse upstreamResponse) {
    synchronized (exchange.lock) {
      if (!exchange.isCurrent(this)) {
        return;
      }
      status = upstreamResponse.getCode();
      Header ct = upstreamResponse.getFirstHeader("Content-Type");
      contentType = ct == null ? null : ct.getValue();
      if (status < 200 || status >= 300) {
        mode = Mode.ERROR;
        Header ra = upstreamResponse.getFirstHeader("Retry-After");
        retryAfter = ra == null ? null : ra.getValue();
        buffered = new BodyBuffer(512);
      } else if (contentType != null && contentType.regionMatches(true, 0, "text/event-stream", 0, 17)) {
        passedThrough = passedThrough(upstreamResponse);
        mode = Mode.STREAM;
        parser = new SseEventParser(this, MAX_EVENT_BYTES, UpstreamFailures.ERROR_KEY);
      } else {
        passedThrough = passedThrough(upstreamResponse);
        mode = Mode.BODY;
        buffered = new BodyBuffer(initialBodyCapacity(upstreamResponse));
      }
    }
  }

  /** With {@code passthrough-headers}, the upstream headers a client may see ({@link PassedThroughHeaders}). */
  private List<Header> passedThrough(HttpResponse upstreamResponse) {
    return exchange.config().passthroughHeaders() ? PassedThroughHeaders.of(upstreamResponse) : List.of();
  }

  /**
   * The declared length when it fits the buffer (chat completions are mostly far below the 4 KiB
   * guess, whose zeroing alone showed up in the profile), else 4 KiB. Read from the header because
   * HttpClient's entity details carry no length for HTTP/2 responses.
   */
  private static int initialBodyCapacity(HttpResponse upstreamResponse) {
    Header length = upstreamResponse.getFirstHeader("Content-Length");
    if (length != null) {
      try {
        long n = Long.parseLong(length.getValue().trim());
        if (n >= 0 && n <= MAX_BUFFERED_BODY) {
          return (int) n;
        }
      } catch (NumberFormatException ignored) {
        // fall through to the guess
      }
    }
    return 4096;
  }

  @Override
  public int upstreamCapacity() {
    synchronized (exchange.lock) {
      return exchange.isCommitted() ? exchange.clientCapacity() : PRE_COMMIT_CAPACITY;
    }
  }

  @Override
  public void onUpstreamData(ByteBuffer data) {
    UpstreamFailure failure;
    synchronized (exchange.lock) {
      if (!exchange.isCurrent(this) || done) {
        return;
      }
      switch (mode) {
        case ERROR -> buffered.append(data, MAX_ERROR_BODY);
        case BODY -> relayBody(data);
        case STREAM -> feedStream(data);
        default -> { }
      }
      failure = takePendingFailure();
    }
    reportFailure(failure);
  }

  private void relayBody(ByteBuffer data) {
    if (!exchange.isCommitted()) {
      buffered.append(data, Integer.MAX_VALUE);
      if (buffered.size() > MAX_BUFFERED_BODY) {
        // Too large to hold for failover: start passing it through.
        exchange.commitBody(status, contentType, -1, passedThrough);
        exchange.write(buffered.toArray(), false);
        buffered = null;
      }
      return;
    }
    byte[] chunk = new byte[data.remaining()];
    data.get(chunk);
    exchange.write(chunk, false);
  }

  /**
   * The events of one upstream read are framed into one batch, written and flushed once at the end of
   * the read: no event waits for later upstream bytes, yet a read that carries many events (a fast or
   * large stream) costs one copy per byte and one network write, not one allocation and write per event.
   */
  private void feedStream(ByteBuffer data) {
    frames.reserve(data.remaining(), exchange::spareBuffer);
    try {
      parser.feed(data);
    } catch (SseEventParser.EventTooLargeException e) {
      streamBroken("upstream sent an event larger than " + MAX_EVENT_BYTES + " bytes");
    }
    sendFrames();
  }

  /** Hands the batched frames to the client, ahead of anything the exchange writes itself. */
  private void sendFrames() {
    if (!frames.isEmpty() && exchange.isCommitted()) {
      exchange.writeFrames(frames.take(), true);
    }
  }

  @Override
  public void onEvent(SseEvent event) {
    if (done) {
      return;
    }
    if (event.isDone()) {
      sawDone = true;
      if (exchange.isCommitted()) {
        frames.add(SseFrames.DONE);
      }
      return;
    }
    if (!event.looksLikeJsonObject()) {
      streamBroken("upstream sent a malformed event");
      return;
    }
    if (isErrorEvent(event)) {
      done = true;
      if (exchange.isCommitted()) {
        byte[] payload = UpstreamFailures.hasErrorObject(event) ? event.copyData()
            : ErrorResponses.toJson(OpenAiError.upstreamUnavailable("the upstream stream reported an error"));
        endStreamWithError(payload);
      } else {
        pendingFailure = UpstreamFailures.fromErrorEvent(event.copyData(), Instant.now(), errorRules());
      }
      cancel();
      return;
    }
    noteTokens(event);
    if (!exchange.isCommitted()) {
      exchange.commitStream(passedThrough);
    }
    if (attempt.member().forceMapping()) {
      // force-mapping: each event names the model as the client asked for it (a copy per event, so
      // only for the models configured so).
      frames.add(event.name(), TopLevelModel.replace(event.copyData(), exchange.clientModel()));
      return;
    }
    frames.add(event);
  }

  /**
   * Streams report tokens in one of the last events ({@code stream_options.include_usage}). Events are
   * only copied and parsed when {@code usage} is an object: OpenAI sends {@code "usage":null} in every
   * other chunk.
   */
  private void noteTokens(SseEvent event) {
    boolean mayCarryUsage = event.dataLength() <= USAGE_EVENT_MAX_BYTES || "response.completed".equals(event.name());
    if (mayCarryUsage && event.hasObjectMember(USAGE_KEY)) {
      TokenUsage reported = TokenUsage.of(event.copyData());
      if (reported != null) {
        exchange.reportTokens(reported);
      }
    }
  }

  @Override
  public void onComment(String text) {
    if (exchange.isCommitted() && !done) {
      frames.add(SseFrames.KEEPALIVE);
    }
  }

  private boolean isErrorEvent(SseEvent event) {
    String name = event.name();
    if (name != null && (name.equals("error") || name.equals("response.failed"))) {
      return true;
    }
    return UpstreamFailures.hasErrorObject(event);
  }

  /** After the first byte: the events already framed, then one final error event. */
  private void endStreamWithError(byte[] errorJson) {
    sendFrames();
    exchange.finishStreamWithError(errorJson);
  }

  /** The stream cannot go on: fail over if nothing was sent yet, else end it with an error event. */
  private void streamBroken(String reason) {
    done = true;
    UpstreamFailure failure = UpstreamFailures.brokenStream(reason);
    if (exchange.isCommitted()) {
      endStreamWithError(failure.body());
    } else {
      pendingFailure = failure;
    }
    cancel();
  }

  @Override
  public void onUpstreamEnd() {
    upstreamFinished = true;
    releaseLease();
    UpstreamFailure failure = null;
    boolean succeeded = false;
    synchronized (exchange.lock) {
      if (!exchange.isCurrent(this) || done) {
        return;
      }
      switch (mode) {
        case ERROR -> {
          done = true;
          failure = UpstreamFailures.fromResponse(status, buffered.toArray(), retryAfter, Instant.now(), errorRules());
        }
        case BODY -> {
          done = true;
          succeeded = true;
          if (!exchange.isCommitted()) {
            byte[] all = buffered.toArray();
            if (attempt.member().forceMapping()) {
              all = TopLevelModel.replace(all, exchange.clientModel());
            }
            exchange.reportTokens(TokenUsage.of(all));
            exchange.commitBody(status, contentType, all.length, passedThrough);
            exchange.write(all, false);
          }
          exchange.finish();
        }
        case STREAM -> succeeded = endStream();
        default -> { }
      }
      if (failure == null) {
        failure = takePendingFailure();
      }
    }
    logOutcome(failure == null ? status : failure.status());
    if (succeeded) {
      exchange.attemptSucceeded(this);
    }
    reportFailure(failure);
  }

  private boolean endStream() {
    try {
      parser.finish();
    } catch (SseEventParser.EventTooLargeException e) {
      streamBroken("upstream sent an event larger than " + MAX_EVENT_BYTES + " bytes");
    }
    if (done) {
      return false;
    }
    done = true;
    if (!exchange.isCommitted()) {
      pendingFailure = UpstreamFailures.brokenStream("the upstream stream ended before its first event");
      return false;
    }
    if (exchange.endpoint().streamEndsWithDone() && !sawDone) {
      endStreamWithError(UpstreamFailures.brokenStream(
          "the upstream stream ended without [DONE]; the answer may be incomplete").body());
      return false;
    }
    sendFrames();
    exchange.finish();
    return true;
  }

  @Override
  public void onUpstreamFailed(Exception cause) {
    upstreamFinished = true;
    releaseLease();
    UpstreamFailure failure = null;
    synchronized (exchange.lock) {
      if (!exchange.isCurrent(this) || done) {
        return;
      }
      done = true;
      if (cause instanceof CancellationException) {
        return;
      }
      UpstreamFailure transport = UpstreamFailures.fromException(cause);
      if (!exchange.isCommitted()) {
        failure = transport;
      } else if (mode == Mode.STREAM) {
        endStreamWithError(transport.body());
      } else {
        // A JSON body already partly sent cannot be taken back; the client sees a short body.
        exchange.finish();
      }
    }
    LOG.debug("{} upstream {} failed: {}", exchange.id(), attempt.credential(), cause.toString());
    logOutcome(failure == null ? -1 : failure.status());
    reportFailure(failure);
  }

  private List<ErrorRule> errorRules() {
    return attempt.member().provider().requestScopedErrors();
  }

  private UpstreamFailure takePendingFailure() {
    UpstreamFailure f = pendingFailure;
    pendingFailure = null;
    return f;
  }

  private void reportFailure(UpstreamFailure failure) {
    if (failure != null) {
      exchange.attemptFailed(this, failure);
    }
  }

  private void logOutcome(int outcomeStatus) {
    if (exchange.config().debug() && LOG.isInfoEnabled()) {
      LOG.info("{} client={} route provider={} key={} model={} status={} in {} ms", exchange.id(),
          exchange.client(), attempt.member().provider().name(), attempt.credential().maskedKey(), attempt.upstreamModel(),
          outcomeStatus, (System.nanoTime() - startNanos) / 1_000_000);
    }
  }
}
