package dev.llmproxy.upstream;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStreamResetException;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Bridges HttpCore's response consumer callbacks to an {@link UpstreamListener}, keeping the
 * {@link CapacityChannel} so the upstream is only allowed to send what the client side can take.
 * Capacity is granted from {@link #updateCapacity} when there is room, otherwise later through
 * {@link #grant(int)} once the client drained (the channel is documented thread-safe). The two race: the
 * client may drain between the reactor reading "no room" and marking itself as waiting. So the reactor
 * marks itself waiting first and then looks for room, and whichever of the two then claims the wait
 * updates the channel; a drain is never lost (a lost one stalled the stream for good).
 *
 * <p>Stopping an exchange: cancelling HttpClient's future only marks the connection not reusable, and HttpCore
 * then reads (and throws away) the rest of the response, so an upstream went on generating tokens for a client that
 * had left. After {@link #abort()} the next body bytes make this consumer fail: on HTTP/1.1 with an I/O error, which
 * closes the connection at once; on HTTP/2 with an {@link HttpStreamResetException}, on which HttpCore resets that
 * stream alone ({@code RST_STREAM CANCEL}) and {@link Http2StreamIsolation} keeps the connection for its other
 * streams. That is what stops a departed client's stream on an HTTP/2 connection negotiated by ALPN, whose cancel
 * HttpClient 5.6 misses or turns into closing the connection. An exchange held back for capacity reads nothing, so
 * {@link #abort()} also asks for the next bytes. HttpCore also reads an HTTP/1.1 body past the capacity granted
 * while the socket has data; the bound on what is held is the client writer's (see {@code ClientResponseWriter}).
 */
public final class UpstreamResponseConsumer implements AsyncResponseConsumer<Void> {
  private static final String ATTRIBUTE = UpstreamResponseConsumer.class.getName();
  private final UpstreamListener listener;
  private volatile CapacityChannel capacityChannel;
  private final AtomicBoolean waitingForCapacity = new AtomicBoolean();
  private volatile FutureCallback<Void> resultCallback;
  private volatile boolean http1;
  private volatile boolean aborted;

  public UpstreamResponseConsumer(UpstreamListener listener) {
    this.listener = listener;
  }

  /** Makes this consumer findable from the exchange's exec chain ({@link Http2StreamIsolation}). */
  public void attachTo(HttpContext context) {
    context.setAttribute(ATTRIBUTE, this);
  }

  /** The consumer attached to {@code context}, or {@code null}. */
  static UpstreamResponseConsumer of(HttpContext context) {
    return context.getAttribute(ATTRIBUTE) instanceof UpstreamResponseConsumer c ? c : null;
  }

  @Override
  public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context,
      FutureCallback<Void> resultCallback) {
    this.resultCallback = resultCallback;
    http1 = response.getVersion() == null || response.getVersion().lessEquals(org.apache.hc.core5.http.HttpVersion.HTTP_1_1);
    listener.onUpstreamHead(response);
    if (entityDetails == null) {
      listener.onUpstreamEnd();
      resultCallback.completed(null);
    }
  }

  @Override
  public void informationResponse(HttpResponse response, HttpContext context) {
    // 1xx responses carry nothing for the client.
  }

  @Override
  public void updateCapacity(CapacityChannel channel) throws java.io.IOException {
    capacityChannel = channel;
    waitingForCapacity.set(true);
    // An abort that came before the mark found nothing to resume: read on, so the next bytes end the exchange.
    int free = aborted ? 1 : listener.upstreamCapacity();
    if (free > 0 && waitingForCapacity.compareAndSet(true, false)) {
      channel.update(free);
    }
  }

  /** Lets the upstream send {@code bytes} more, if it was held back. Any thread. */
  public void grant(int bytes) {
    if (bytes > 0) {
      resume(bytes);
    }
  }

  /** Asks for the exchange to be torn down at the next bytes (see the class comment). Any thread. */
  public void abort() {
    aborted = true;
    resume(1);
  }

  private void resume(int bytes) {
    CapacityChannel channel = capacityChannel;
    if (channel != null && waitingForCapacity.compareAndSet(true, false)) {
      try {
        channel.update(bytes);
      } catch (java.io.IOException e) {
        listener.onUpstreamFailed(e);
      }
    }
  }

  @Override
  public void consume(ByteBuffer src) throws java.io.IOException {
    if (aborted) {
      String why = "the exchange was cancelled by the gateway";
      throw http1 ? new java.io.IOException(why) : new HttpStreamResetException(why);
    }
    listener.onUpstreamData(src);
  }

  @Override
  public void streamEnd(List<? extends Header> trailers) {
    listener.onUpstreamEnd();
    FutureCallback<Void> callback = resultCallback;
    if (callback != null) {
      callback.completed(null);
    }
  }

  @Override
  public void failed(Exception cause) {
    listener.onUpstreamFailed(cause);
  }

  @Override
  public void releaseResources() {
    capacityChannel = null;
    listener.onUpstreamReleased();
  }
}
