package dev.llmproxy.dialect;

import dev.llmproxy.error.ClientError;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.stream.SseFrameBatch;

/**
 * How one upstream answer becomes the client's: a JSON body translated whole, or a stream translated event
 * by event into frames. One per attempt; stateful for streams. Not thread-safe: the relay calls it under its
 * exchange's lock, one call at a time. Never blocks, never does I/O.
 *
 * <p>Stream calls come in this order: {@link #onEvent}, {@link #onDone} and {@link #onComment} as the
 * upstream sends them (never an error event: the relay handles those), then {@link #onEnd} for a
 * complete stream or {@link #onFailure} for one that broke after it started. Frames go into the batch the
 * relay passes; the relay commits the client's response head at the first frame and sends each batch at
 * the end of the upstream read that produced it.
 */
public interface Answer {

  /** The client's body for a whole upstream JSON body. May throw for an upstream answer it cannot read. */
  byte[] body(byte[] upstreamBody);

  /** The content type of {@link #body}; {@code upstreamContentType} may be {@code null}. */
  String bodyContentType(String upstreamContentType);

  /**
   * Whether an upstream body too large to hold may be relayed as it arrives instead (only when the
   * client gets the upstream's bytes as they are).
   */
  boolean relaysLargeBodies();

  /** The content type of a streamed answer. */
  String streamContentType();

  /** One upstream event; the view is valid only during the call. */
  void onEvent(SseEvent event, SseFrameBatch out);

  /** Characters of the answer kept so far to repeat at its end ({@link StreamTranslator#keptChars}). */
  long keptChars();

  /** The upstream's {@code data: [DONE]}. */
  void onDone(SseFrameBatch out);

  /** An upstream comment line (a keep-alive), once the client's stream has started. */
  void onComment(SseFrameBatch out);

  /** The upstream stream is complete. */
  void onEnd(SseFrameBatch out);

  /** The stream broke after it started: the client's in-stream error, never a clean end. */
  void onFailure(ClientError error, SseFrameBatch out);

  /**
   * The frame that keeps a silent stream alive and tells the gateway whether the client is still there.
   *
   * @param configured {@code streaming.keepalive-seconds} is set (a visible keep-alive is wanted), else
   *     the cheapest frame the client ignores
   */
  byte[] keepAlive(boolean configured);
}
