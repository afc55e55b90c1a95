package dev.llmproxy.relay;

import dev.llmproxy.buffers.BufferAccount;
import dev.llmproxy.dialect.UpstreamProtocol;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.stream.SseEventParser;
import java.nio.charset.StandardCharsets;

/**
 * What an upstream stream's events say of its end: an event that is an error, and whether the answer is complete, as
 * the upstream's protocol says it ({@code data: [DONE]}, a {@code finish_reason}, a {@code response.completed}). A
 * stream that ends without that was cut short.
 *
 * <p>Not thread-safe: its owner ({@link UpstreamAttempt}) calls it only while holding its own monitor. Costs nothing
 * per event beyond the scans the parser already made ({@link #newParser}).
 */
final class StreamCompletion {
  private static final byte[] ERROR_KEY = UpstreamFailures.ERROR_KEY;
  private static final byte[] FINISH_REASON_KEY = "\"finish_reason\"".getBytes(StandardCharsets.US_ASCII);

  private final UpstreamProtocol protocol;
  private boolean sawDone;
  private boolean sawFinish;

  StreamCompletion(UpstreamProtocol protocol) {
    this.protocol = protocol;
  }

  /** A parser whose line scan notes what this class reads: the error key, and the finish key's first bytes. */
  static SseEventParser newParser(SseEventParser.Listener listener, int maxEventBytes, BufferAccount buffers) {
    return new SseEventParser(listener, maxEventBytes, ERROR_KEY, FINISH_REASON_KEY, buffers);
  }

  /** Whether the event is an error (named so, or carrying an error object); from a {@link #newParser} parser. */
  static boolean isErrorEvent(SseEvent event) {
    String name = event.name();
    if (name != null && (name.equals("error") || name.equals("response.failed"))) {
      return true;
    }
    return UpstreamFailures.hasErrorObject(event);
  }

  /** The stream's {@code data: [DONE]}. */
  void onDone() {
    sawDone = true;
  }

  /** Whether this event says the answer is complete, as the upstream's protocol says it. */
  void noteCompletion(SseEvent event) {
    if (sawFinish) {
      return;
    }
    if (protocol == UpstreamProtocol.RESPONSES) {
      String name = event.name();
      sawFinish = "response.completed".equals(name) || "response.incomplete".equals(name);
    } else {
      // The parser's line scan already noted whether the key's first two bytes occur: a second scan of every
      // byte of every event for it was the largest cost of relaying a large stream (40% of the reactor thread).
      sawFinish = event.mayContainHinted() && event.hasStringMember(FINISH_REASON_KEY);
    }
  }

  /** The answer is complete: {@code [DONE]} came, or an event that says so. */
  boolean isComplete() {
    return sawDone || sawFinish;
  }
}
