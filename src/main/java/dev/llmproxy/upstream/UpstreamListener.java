package dev.llmproxy.upstream;

import java.nio.ByteBuffer;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Receives one upstream response as it arrives, on an HttpClient reactor thread. Implementations
 * must not block.
 */
public interface UpstreamListener {
  /** Status line and headers arrived. */
  void onUpstreamHead(HttpResponse upstreamResponse);

  /** A piece of the body; the buffer is only valid during the call. */
  void onUpstreamData(ByteBuffer data);

  /** The body ended normally. */
  void onUpstreamEnd();

  /** The exchange failed (connect, TLS, timeout, reset, cancelled). May come at any point. */
  void onUpstreamFailed(Exception cause);

  /**
   * How many more body bytes may be delivered now; 0 holds the upstream back until
   * {@link UpstreamResponseConsumer#grant(int)} is called.
   */
  int upstreamCapacity();

  /** HttpClient is done with the exchange, however it ended (called last, possibly more than once). */
  default void onUpstreamReleased() {}
}
