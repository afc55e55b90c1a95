package dev.llmproxy.upstream;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Bridges HttpCore's response consumer callbacks to an {@link UpstreamListener}, keeping the
 * {@link CapacityChannel} so the upstream is only allowed to send what the client side can take.
 * Capacity is granted from {@link #updateCapacity} when there is room, otherwise later through
 * {@link #grant(int)} once the client drained (the channel is documented thread-safe).
 */
public final class UpstreamResponseConsumer implements AsyncResponseConsumer<Void> {
  private final UpstreamListener listener;
  private volatile CapacityChannel capacityChannel;
  private volatile boolean waitingForCapacity;
  private volatile FutureCallback<Void> resultCallback;

  public UpstreamResponseConsumer(UpstreamListener listener) {
    this.listener = listener;
  }

  @Override
  public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context,
      FutureCallback<Void> resultCallback) {
    this.resultCallback = resultCallback;
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
    int free = listener.upstreamCapacity();
    if (free > 0) {
      waitingForCapacity = false;
      channel.update(free);
    } else {
      waitingForCapacity = true;
    }
  }

  /** Lets the upstream send {@code bytes} more, if it was held back. Any thread. */
  public void grant(int bytes) {
    CapacityChannel channel = capacityChannel;
    if (channel != null && waitingForCapacity && bytes > 0) {
      waitingForCapacity = false;
      try {
        channel.update(bytes);
      } catch (java.io.IOException e) {
        listener.onUpstreamFailed(e);
      }
    }
  }

  @Override
  public void consume(ByteBuffer src) {
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
