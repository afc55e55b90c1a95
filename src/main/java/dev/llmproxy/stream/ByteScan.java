package dev.llmproxy.stream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds bytes in arrays eight at a time (SWAR: one {@code long} load, then a bit trick that flags the
 * bytes equal to the target). Relaying a stream looks at every byte several times (line ends, newlines
 * in payloads, the {@code "error"} check), and a byte-at-a-time loop made those scans the largest cost
 * of a large stream. Stateless and thread-safe.
 */
public final class ByteScan {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private ByteScan() {}

  /** Index of the first {@code b} in {@code a[from, to)}, or -1. */
  public static int indexOf(byte[] a, int from, int to, byte b) {
    long pattern = (b & 0xFFL) * ONES;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long hits = zeroBytes((long) LONGS.get(a, i) ^ pattern);
      if (hits != 0) {
        // Little-endian: the lowest flagged byte is exact (false flags only appear above a real one).
        return i + (Long.numberOfTrailingZeros(hits) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the first {@code b1} or {@code b2} in {@code a[from, to)}, or -1. */
  public static int indexOfEither(byte[] a, int from, int to, byte b1, byte b2) {
    long p1 = (b1 & 0xFFL) * ONES;
    long p2 = (b2 & 0xFFL) * ONES;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long word = (long) LONGS.get(a, i);
      long hits = zeroBytes(word ^ p1) | zeroBytes(word ^ p2);
      if (hits != 0) {
        return i + (Long.numberOfTrailingZeros(hits) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (a[i] == b1 || a[i] == b2) {
        return i;
      }
    }
    return -1;
  }

  /** True when {@code needle} occurs in {@code haystack}. */
  public static boolean contains(byte[] haystack, byte[] needle) {
    int last = haystack.length - needle.length;
    for (int i = 0; i <= last; i++) {
      i = indexOf(haystack, i, last + 1, needle[0]);
      if (i < 0) {
        return false;
      }
      if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }

  private static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }
}
