package dev.llmproxy.relay;

import dev.llmproxy.buffers.BufferMeter;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A response body collected from upstream reads. Sized by the declared length when there is one, so
 * the usual small JSON body is read straight into the array the client gets: one allocation, one copy
 * (a ByteArrayOutputStream with a per-read staging array took three of each). Growth past 1 MiB is charged to the
 * exchange ({@link BufferMeter}): appending may throw {@link dev.llmproxy.buffers.BufferBudgetExceededException}.
 * Not thread-safe.
 */
final class BodyBuffer {
  private final BufferMeter meter;
  private byte[] bytes;
  private int size;

  BodyBuffer(int initialCapacity, BufferMeter meter) {
    this.meter = meter;
    meter.ensure(initialCapacity);
    this.bytes = new byte[initialCapacity];
  }

  /** Appends what {@code src} holds, keeping at most {@code limit} bytes in all; the rest is dropped. */
  void append(ByteBuffer src, int limit) {
    int n = Math.min(src.remaining(), limit - size);
    if (n > 0) {
      if (size + n > bytes.length) {
        int grown = Math.max(size + n, (int) Math.min(Integer.MAX_VALUE - 8L, bytes.length * 2L));
        meter.ensure(grown);
        bytes = Arrays.copyOf(bytes, grown);
      }
      src.get(bytes, size, n);
      size += n;
    }
    src.position(src.limit());
  }

  int size() {
    return size;
  }

  /** The bytes; the buffer's own array when it is exactly full (do not append afterwards). */
  byte[] toArray() {
    return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
  }
}
