package dev.llmproxy.relay;

import org.apache.hc.core5.http2.H2Error;
import org.apache.hc.core5.http2.H2StreamResetException;

/**
 * Recognises an HTTP/2 stream the upstream refused: a reset with REFUSED_STREAM, which RFC 9113 (section 8.7) defines
 * as "the stream was closed before any processing", so the request may go again as it is. Servers send it when they
 * take fewer streams at once than the client believed (a lowered SETTINGS_MAX_CONCURRENT_STREAMS that had not arrived
 * yet, a proxy in front of several backends, a graceful restart). Like a stale connection, neither the provider's
 * failure nor worth a cooldown. Stateless.
 */
final class RefusedStream {
  private RefusedStream() {}

  /** @param cause why the exchange failed, before any response head */
  static boolean refused(Exception cause) {
    return cause instanceof H2StreamResetException reset && reset.getCode() == H2Error.REFUSED_STREAM.getCode();
  }
}
