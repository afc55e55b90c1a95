package dev.llmproxy.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A line-fed server-sent-events parser (WHATWG framing): bytes in, complete {@link SseEvent}s out.
 * Handles LF, CRLF and CR line ends split across buffers, multi-line {@code data:}, {@code event:},
 * and comments; {@code id:} and {@code retry:} are dropped because the gateway re-frames every event.
 * Memory is bounded by {@code maxEventBytes}. Not thread-safe: one upstream response feeds it.
 */
public final class SseEventParser {

  /** Receives parser output, on the thread that calls {@link #feed}. */
  public interface Listener {
    void onEvent(SseEvent event);

    /** A comment line ({@code : text}); the text after the colon. */
    default void onComment(String text) {}
  }

  /** Thrown when a single event exceeds the configured size. */
  public static final class EventTooLargeException extends RuntimeException {
    EventTooLargeException(int limit) {
      super("upstream event larger than " + limit + " bytes");
    }
  }

  private final Listener listener;
  private final int maxEventBytes;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lastWasCr;
  private byte[] data = new byte[0];
  private int dataLength;
  private boolean hasData;
  private String eventName;

  public SseEventParser(Listener listener, int maxEventBytes) {
    this.listener = listener;
    this.maxEventBytes = maxEventBytes;
  }

  public void feed(ByteBuffer src) {
    if (src.hasArray()) {
      int from = src.arrayOffset() + src.position();
      int to = src.arrayOffset() + src.limit();
      src.position(src.limit());
      feed(src.array(), from, to);
    } else {
      byte[] chunk = new byte[src.remaining()];
      src.get(chunk);
      feed(chunk, 0, chunk.length);
    }
  }

  /**
   * Scans for line ends and copies whole line segments at once: a per-byte append made the parser
   * the largest cost of relaying a large stream.
   */
  private void feed(byte[] a, int from, int to) {
    int i = from;
    while (i < to) {
      if (lastWasCr) {
        lastWasCr = false;
        if (a[i] == '\n') {
          i++;
          continue;
        }
      }
      int eol = ByteScan.indexOfEither(a, i, to, (byte) '\n', (byte) '\r');
      if (eol < 0) {
        eol = to;
      }
      appendToLine(a, i, eol - i);
      if (eol == to) {
        return;
      }
      lastWasCr = a[eol] == '\r';
      endLine();
      i = eol + 1;
    }
  }

  /** Dispatches a final event that was not followed by a blank line (the stream ended). */
  public void finish() {
    if (lineLength > 0) {
      endLine();
    }
    dispatch();
  }

  /** True when bytes of an unfinished event are pending. */
  public boolean hasPartialEvent() {
    return lineLength > 0 || hasData || eventName != null;
  }

  private void appendToLine(byte[] a, int from, int len) {
    if (len == 0) {
      return;
    }
    int needed = lineLength + len;
    if (needed > line.length) {
      if (needed > maxEventBytes) {
        throw new EventTooLargeException(maxEventBytes);
      }
      line = java.util.Arrays.copyOf(line, Math.min(maxEventBytes, Math.max(needed, line.length * 2)));
    }
    System.arraycopy(a, from, line, lineLength, len);
    lineLength = needed;
  }

  private void endLine() {
    if (lineLength == 0) {
      dispatch();
      return;
    }
    int colon = indexOf(line, lineLength, (byte) ':');
    if (colon == 0) {
      listener.onComment(new String(line, 1, lineLength - 1, StandardCharsets.UTF_8).trim());
      lineLength = 0;
      return;
    }
    int nameEnd = colon < 0 ? lineLength : colon;
    int valueStart = colon < 0 ? lineLength : colon + 1;
    if (valueStart < lineLength && line[valueStart] == ' ') {
      valueStart++;
    }
    if (fieldIs("data", nameEnd)) {
      appendData(valueStart);
    } else if (fieldIs("event", nameEnd)) {
      eventName = new String(line, valueStart, lineLength - valueStart, StandardCharsets.UTF_8);
    }
    lineLength = 0;
  }

  private void appendData(int valueStart) {
    int len = lineLength - valueStart;
    int needed = dataLength + (hasData ? 1 : 0) + len;
    if (needed > maxEventBytes) {
      throw new EventTooLargeException(maxEventBytes);
    }
    if (needed > data.length) {
      data = java.util.Arrays.copyOf(data, Math.max(needed, Math.min(maxEventBytes, data.length * 2 + 64)));
    }
    if (hasData) {
      data[dataLength++] = '\n';
    }
    System.arraycopy(line, valueStart, data, dataLength, len);
    dataLength += len;
    hasData = true;
  }

  private void dispatch() {
    if (hasData) {
      listener.onEvent(new SseEvent(eventName, java.util.Arrays.copyOf(data, dataLength)));
    }
    hasData = false;
    dataLength = 0;
    eventName = null;
    if (data.length > 64 * 1024) {
      data = new byte[0];
    }
  }

  private boolean fieldIs(String name, int nameEnd) {
    if (nameEnd != name.length()) {
      return false;
    }
    for (int i = 0; i < nameEnd; i++) {
      if (line[i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] a, int len, byte b) {
    for (int i = 0; i < len; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
