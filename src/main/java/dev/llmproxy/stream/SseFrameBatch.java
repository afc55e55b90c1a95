package dev.llmproxy.stream;

import dev.llmproxy.buffers.BufferAccount;
import dev.llmproxy.buffers.BufferMeter;
import dev.llmproxy.buffers.LargeBufferBudget;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The frames the client gets for one upstream read, framed into one array that is then handed to the
 * client writer whole: each event's bytes are copied once (from the upstream's buffer into this
 * array), and a read that carried many events costs one write and one flush. Not thread-safe; owned by
 * one attempt, used under its exchange's lock. Growth past 1 MiB is charged to the exchange ({@link BufferMeter}):
 * adding may throw {@link dev.llmproxy.buffers.BufferBudgetExceededException}.
 */
public final class SseFrameBatch {
  private static final byte[] NO_BYTES = new byte[0];
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  /** Slack for the {@code data: } prefixes and blank lines re-framing may add to a read. */
  private static final int FRAMING_SLACK = 64;

  private final BufferMeter meter;
  private byte[] buf = NO_BYTES;
  private int size;

  /** A batch whose size no budget bounds (frames the gateway makes itself). */
  public SseFrameBatch() {
    this(BufferAccount.unlimited().newMeter());
  }

  public SseFrameBatch(BufferMeter meter) {
    this.meter = meter;
  }

  /**
   * Makes room for about {@code bytes} more (a re-framed read is about as long as the read was), in
   * {@code spare} when the batch is empty and it is large enough: an array the client writer is done with.
   */
  public void reserve(int bytes, java.util.function.IntFunction<byte[]> spare) {
    int needed = size + bytes + FRAMING_SLACK;
    if (size == 0 && needed > buf.length) {
      byte[] recycled = spare.apply(needed);
      if (recycled != null) {
        buf = recycled;
        return;
      }
    }
    ensureCapacity(needed);
  }

  /** Adds {@code [event: name\n]data: ...\n\n}; a payload with line breaks becomes several data lines. */
  public void add(SseEvent event) {
    byte[] name = event.name() == null ? null : event.name().getBytes(StandardCharsets.UTF_8);
    int length = event.dataLength();
    int breaks = event.hasLineBreaks() ? countLineBreaks(event) : 0;
    ensureCapacity(size + (name == null ? 0 : EVENT.length + name.length + 1)
        + DATA.length * (breaks + 1) + length + 2);
    if (name != null) {
      put(EVENT);
      put(name);
      buf[size++] = '\n';
    }
    put(DATA);
    if (breaks == 0) {
      size = event.copyDataTo(buf, size);
    } else {
      for (int i = 0; i < length; i++) {
        byte b = event.dataAt(i);
        buf[size++] = b;
        if (b == '\n') {
          put(DATA);
        }
      }
    }
    buf[size++] = '\n';
    buf[size++] = '\n';
  }

  /** Adds an event made here rather than relayed: {@code payload} framed as {@link #add(SseEvent)} does. */
  public void add(String name, byte[] payload) {
    SseEvent event = new SseEvent();
    event.show(name, payload, 0, payload.length, ByteScan.indexOf(payload, 0, payload.length, (byte) '\n') >= 0, false,
        true);
    add(event);
  }

  /** Adds a ready-made frame, such as {@link SseFrames#DONE}. */
  public void add(byte[] frame) {
    ensureCapacity(size + frame.length);
    put(frame);
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The frames added so far, handed over with their array; the batch starts empty again. */
  public ByteBuffer take() {
    ByteBuffer frames = ByteBuffer.wrap(buf, 0, size);
    buf = NO_BYTES;
    size = 0;
    return frames;
  }

  private static int countLineBreaks(SseEvent event) {
    int n = 0;
    for (int i = 0; i < event.dataLength(); i++) {
      if (event.dataAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private void put(byte[] bytes) {
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
  }

  private void ensureCapacity(int needed) {
    if (needed > buf.length) {
      // With room for a short frame after it, and past a large buffer's threshold a quarter more rather than
      // double: a 15 MB event's batch grew again for the 14 bytes of the [DONE] after it, and with the
      // large-buffer budget spent, a stream that had all but arrived failed there.
      int grown = buf.length > LargeBufferBudget.THRESHOLD
          ? (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(needed + FRAMING_SLACK, buf.length + (long) buf.length / 4))
          : Math.max(needed + FRAMING_SLACK, buf.length * 2);
      meter.ensure(grown);
      buf = Arrays.copyOf(buf, grown);
    }
  }
}
