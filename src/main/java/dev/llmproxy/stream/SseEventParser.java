package dev.llmproxy.stream;

import dev.llmproxy.buffers.BufferAccount;
import dev.llmproxy.buffers.BufferMeter;
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
  private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final Listener listener;
  private final int maxEventBytes;
  private final byte[] watched;
  /** The second byte of the hinted text (its first is the watched text's). */
  private final byte hinted1;
  private final SseEvent event = new SseEvent();
  /** A line that began in an earlier read. */
  private byte[] line = new byte[256];
  private int lineLength;
  /** The pair flags the line scan found in {@link #line} so far (see {@link ByteScan#indexOfLineEndNotingPairs}). */
  private long linePairs;
  /** {@link #line} ends with the watched text's first byte: its pairs may complete in the next read. */
  private boolean lineEndsWithFirstByte;
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
  private boolean mayContainHinted;
  private String eventName;
  /** Bytes of a leading UTF-8 byte order mark passed so far; -1 once the stream is past where one may be. */
  private int markBytes;
  /** Charge the line and data buffers past 1 MiB to the exchange ({@link dev.llmproxy.buffers.LargeBufferBudget}). */
  private final BufferMeter lineMeter;
  private final BufferMeter dataMeter;

  /**
   * @param watched text (two bytes or more) each event's data is checked for in the same pass that finds
   *     line ends ({@link SseEvent#containsWatched()}): the relay checks every event for an error object,
   *     and a second pass over every byte for it was once the largest cost of a large stream
   */
  public SseEventParser(Listener listener, int maxEventBytes, byte[] watched) {
    this(listener, maxEventBytes, watched, watched);
  }

  /**
   * @param hinted a second text that starts with the watched text's first byte: each event also says
   *     whether it may contain it ({@link SseEvent#mayContainHinted()}, false when not even its first two bytes
   *     occur), noted in the same pass, so a caller looking for it can skip the events that cannot have it
   */
  public SseEventParser(Listener listener, int maxEventBytes, byte[] watched, byte[] hinted) {
    this(listener, maxEventBytes, watched, hinted, BufferAccount.unlimited());
  }

  /**
   * @param buffers the exchange's account its large buffers reserve from: {@link #feed} throws {@link
   *     dev.llmproxy.buffers.BufferBudgetExceededException} when an event's growth does not fit
   */
  public SseEventParser(Listener listener, int maxEventBytes, byte[] watched, byte[] hinted, BufferAccount buffers) {
    this.lineMeter = buffers.newMeter();
    this.dataMeter = buffers.newMeter();
    if (watched.length < 2 || hinted.length < 2 || hinted[0] != watched[0]) {
      throw new IllegalArgumentException("the watched and hinted texts need two bytes or more and the same first byte");
    }
    this.listener = listener;
    this.maxEventBytes = maxEventBytes;
    this.watched = watched.clone();
    this.hinted1 = hinted[1];
  }

  /**
   * Where the stream's text begins: after a UTF-8 byte order mark, which the event-stream format says to ignore (a
   * first line read with it would be no {@code data} line, and its event lost), even one split between reads.
   */
  private int skipByteOrderMark(byte[] a, int from, int to) {
    int i = from;
    while (i < to && markBytes >= 0 && markBytes < BYTE_ORDER_MARK.length) {
      if (a[i] != BYTE_ORDER_MARK[markBytes]) {
        markBytes = -1;
        return i;
      }
      markBytes++;
      i++;
    }
    if (markBytes == BYTE_ORDER_MARK.length) {
      markBytes = -1;
    }
    return i;
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
    int i = markBytes < 0 ? from : skipByteOrderMark(a, from, to);
    while (i < to) {
      if (lastWasCr) {
        lastWasCr = false;
        if (a[i] == '\n') {
          i++;
          continue;
        }
      }
      long scan = ByteScan.indexOfLineEndNotingPairs(a, i, to, watched[0], watched[1], hinted1);
      int eol = (int) scan;
      long pairs = scan & PAIR_FLAGS;
      if (lineLength > 0 && lineEndsWithFirstByte && i < to) {
        pairs |= pairFlags(a[i]); // a pair split between two reads
      }
      if (eol < 0) {
        appendToLine(a, i, to - i);
        linePairs |= pairs;
        lineEndsWithFirstByte = to > i && a[to - 1] == watched[0];
        break;
      }
      lastWasCr = a[eol] == '\r';
      if (lineLength > 0) {
        appendToLine(a, i, eol - i);
        int length = lineLength;
        pairs |= linePairs;
        lineLength = 0;
        linePairs = 0;
        lineEndsWithFirstByte = false;
        processLine(line, 0, length, false, (pairs & FIRST_PAIR) != 0, (pairs & ByteScan.SECOND_PAIR) != 0);
      } else {
        processLine(a, i, eol, true, (pairs & FIRST_PAIR) != 0, (pairs & ByteScan.SECOND_PAIR) != 0);
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
      linePairs = 0;
      lineEndsWithFirstByte = false;
      processLine(line, 0, length, false, true, true);
    }
    dispatch();
  }

  private static final long FIRST_PAIR = 1L << 32;
  private static final long PAIR_FLAGS = FIRST_PAIR | ByteScan.SECOND_PAIR;

  private long pairFlags(byte next) {
    return (next == watched[1] ? FIRST_PAIR : 0) | (next == hinted1 ? ByteScan.SECOND_PAIR : 0);
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
      int grown = Math.min(maxEventBytes, Math.max(needed, line.length * 2));
      lineMeter.ensure(grown);
      line = Arrays.copyOf(line, grown);
    }
    System.arraycopy(a, from, line, lineLength, len);
    lineLength = needed;
  }

  /**
   * One line without its end; {@code inRead} when it lies in the caller's buffer; {@code mayContainWatched}
   * and {@code mayHaveHinted} unless the line scan proved it holds not even the text's first two bytes.
   */
  private void processLine(byte[] a, int start, int end, boolean inRead, boolean mayContainWatched,
      boolean mayHaveHinted) {
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
      mayContainHinted |= mayHaveHinted;
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
      int grown = Math.max(needed, Math.min(maxEventBytes, data.length * 2 + 64));
      dataMeter.ensure(grown);
      data = Arrays.copyOf(data, grown);
    }
  }

  private void dispatch() {
    if (dataLines > 0) {
      if (viewArray != null) {
        event.show(eventName, viewArray, viewOffset, viewLength, false, containsWatched, mayContainHinted);
      } else {
        event.show(eventName, data, 0, dataLength, dataLines > 1, containsWatched, mayContainHinted);
      }
      listener.onEvent(event);
    }
    viewArray = null;
    dataLines = 0;
    containsWatched = false;
    mayContainHinted = false;
    dataLength = 0;
    eventName = null;
    if (data.length > 64 * 1024) {
      data = NO_BYTES;
    }
  }
}
