package dev.llmproxy.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A line-fed server-sent-events parser (WHATWG framing): bytes in, complete {@link SseEvent}s out.
 * Handles LF, CRLF and CR line ends split across buffers, multi-line {@code data:}, {@code event:},
 * and comments; {@code id:} and {@code retry:} are dropped because the gateway re-frames every event.
 * Memory is bounded by {@code maxEventBytes}. Not thread-safe: one upstream response feeds it.
 *
 * <p>An event that arrives whole in one read is handed out as a window on the caller's buffer, not
 * copied; only lines split across reads, events with several data lines, and an event still open when
 * a read ends are copied into the parser's own buffers (the caller's buffer is not ours after
 * {@link #feed} returns).
 */
public final class SseEventParser {

  /** Receives parser output, on the thread that calls {@link #feed}. */
  public interface Listener {
    /** A complete event; the view is valid only during this call. */
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

  private static final byte[] NO_BYTES = new byte[0];
  private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);

  private final Listener listener;
  private final int maxEventBytes;
  private final byte[] watched;
  private final SseEvent event = new SseEvent();
  /** A line that began in an earlier read. */
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lastWasCr;
  /** The pending event's data: a window on the current read while it is the only data line... */
  private byte[] viewArray;
  private int viewOffset;
  private int viewLength;
  /** ...else copied here. */
  private byte[] data = NO_BYTES;
  private int dataLength;
  private int dataLines;
  private boolean containsWatched;
  private String eventName;

  /**
   * @param watched text (two bytes or more) each event's data is checked for in the same pass that finds
   *     line ends ({@link SseEvent#containsWatched()}): the relay checks every event for an error object,
   *     and a second pass over every byte for it was once the largest cost of a large stream
   */
  public SseEventParser(Listener listener, int maxEventBytes, byte[] watched) {
    if (watched.length < 2) {
      throw new IllegalArgumentException("the watched text needs two bytes or more");
    }
    this.listener = listener;
    this.maxEventBytes = maxEventBytes;
    this.watched = watched.clone();
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
      long scan = ByteScan.indexOfLineEndNotingPair(a, i, to, watched[0], watched[1]);
      int eol = (int) scan;
      if (eol < 0) {
        appendToLine(a, i, to - i);
        break;
      }
      lastWasCr = a[eol] == '\r';
      if (lineLength > 0) {
        appendToLine(a, i, eol - i);
        int length = lineLength;
        lineLength = 0;
        processLine(line, 0, length, false, true);
      } else {
        processLine(a, i, eol, true, (scan >>> 32) != 0);
      }
      i = eol + 1;
    }
    ownPendingData();
  }

  /** Dispatches a final event that was not followed by a blank line (the stream ended). */
  public void finish() {
    if (lineLength > 0) {
      int length = lineLength;
      lineLength = 0;
      processLine(line, 0, length, false, true);
    }
    dispatch();
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
      line = Arrays.copyOf(line, Math.min(maxEventBytes, Math.max(needed, line.length * 2)));
    }
    System.arraycopy(a, from, line, lineLength, len);
    lineLength = needed;
  }

  /**
   * One line without its end; {@code inRead} when it lies in the caller's buffer; {@code mayContainWatched}
   * unless the line scan proved it holds not even the watched text's first two bytes.
   */
  private void processLine(byte[] a, int start, int end, boolean inRead, boolean mayContainWatched) {
    if (start == end) {
      dispatch();
      return;
    }
    if (a[start] == ':') {
      listener.onComment(new String(a, start + 1, end - start - 1, StandardCharsets.UTF_8).trim());
      return;
    }
    int colon = ByteScan.indexOf(a, start, end, (byte) ':');
    int nameEnd = colon < 0 ? end : colon;
    int valueStart = colon < 0 ? end : colon + 1;
    if (valueStart < end && a[valueStart] == ' ') {
      valueStart++;
    }
    if (Arrays.equals(a, start, nameEnd, DATA, 0, DATA.length)) {
      addData(a, valueStart, end, inRead);
      containsWatched |= mayContainWatched && ByteScan.contains(a, valueStart, end, watched);
    } else if (Arrays.equals(a, start, nameEnd, EVENT, 0, EVENT.length)) {
      eventName = new String(a, valueStart, end - valueStart, StandardCharsets.UTF_8);
    }
  }

  private void addData(byte[] a, int from, int to, boolean inRead) {
    int len = to - from;
    if (dataLines == 0 && inRead) {
      if (len > maxEventBytes) {
        throw new EventTooLargeException(maxEventBytes);
      }
      viewArray = a;
      viewOffset = from;
      viewLength = len;
      dataLines = 1;
      return;
    }
    ownPendingData();
    int needed = dataLength + (dataLines > 0 ? 1 : 0) + len;
    ensureDataCapacity(needed);
    if (dataLines > 0) {
      data[dataLength++] = '\n';
    }
    System.arraycopy(a, from, data, dataLength, len);
    dataLength += len;
    dataLines++;
  }

  /** Moves data that is still a window on the caller's buffer into the parser's own. */
  private void ownPendingData() {
    if (viewArray == null) {
      return;
    }
    ensureDataCapacity(viewLength);
    System.arraycopy(viewArray, viewOffset, data, 0, viewLength);
    dataLength = viewLength;
    viewArray = null;
  }

  private void ensureDataCapacity(int needed) {
    if (needed > maxEventBytes) {
      throw new EventTooLargeException(maxEventBytes);
    }
    if (needed > data.length) {
      data = Arrays.copyOf(data, Math.max(needed, Math.min(maxEventBytes, data.length * 2 + 64)));
    }
  }

  private void dispatch() {
    if (dataLines > 0) {
      if (viewArray != null) {
        event.show(eventName, viewArray, viewOffset, viewLength, false, containsWatched);
      } else {
        event.show(eventName, data, 0, dataLength, dataLines > 1, containsWatched);
      }
      listener.onEvent(event);
    }
    viewArray = null;
    dataLines = 0;
    containsWatched = false;
    dataLength = 0;
    eventName = null;
    if (data.length > 64 * 1024) {
      data = NO_BYTES;
    }
  }
}
