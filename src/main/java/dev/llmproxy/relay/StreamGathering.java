package dev.llmproxy.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.buffers.BufferMeter;
import dev.llmproxy.dialect.GatheredCompletion;
import dev.llmproxy.dialect.UpstreamCall;
import dev.llmproxy.dialect.UpstreamProtocol;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.stream.SseEvent;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The events of a stream the upstream sent to a request that asked for none, gathered into the whole answer
 * ({@link GatheredCompletion}), bounded as a held answer is. Nothing reaches the client before the stream is
 * complete, so a stream that breaks fails over like a broken answer. Not thread-safe: one per attempt.
 */
final class StreamGathering {
  private static final ObjectMapper JSON = WebappJson.newMapper();

  private final GatheredCompletion completion = new GatheredCompletion();
  private final long maxBytes;
  /** Charges what is gathered, counted in event bytes, to the exchange's large-buffer budget. */
  private final BufferMeter meter;
  private long bytes;

  StreamGathering(long maxBytes, BufferMeter meter) {
    this.maxBytes = maxBytes;
    this.meter = meter;
  }

  /**
   * Whether a stream answering {@code call} is gathered: the call asked for no stream, and its protocol's chunks
   * are chat (or legacy) completions, which have a whole form. A forwarded Responses stream is relayed as it is.
   */
  static boolean gathers(UpstreamCall call) {
    return !call.stream() && call.protocol() == UpstreamProtocol.CHAT;
  }

  /** Adds one event; returns why the stream cannot be gathered, or {@code null}. */
  String add(SseEvent event) {
    bytes += event.dataLength();
    if (bytes > maxBytes) {
      return "the upstream answer is larger than " + maxBytes + " bytes";
    }
    meter.ensure(bytes);
    try {
      completion.add(event.readJson(JSON));
      return null;
    } catch (IOException e) {
      return "the upstream sent an event that is not JSON";
    }
  }

  /** The gathered answer as JSON bytes, as the upstream would have sent it whole. */
  byte[] answer() {
    try {
      return JSON.writeValueAsBytes(completion.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
