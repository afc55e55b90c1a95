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
  private static final long BELOW_0E = 0x0E * ONES;

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

  /**
   * One pass that does two jobs for the SSE parser: finds the first line end ('\n' or '\r') in
   * {@code a[from, to)} and notes whether the byte pair {@code p0 p1} occurs before it. Returns the
   * line end's index (or -1) in the low 32 bits and bit 32 set when the pair was seen; a pair that
   * reaches past {@code to} may be reported, so a caller that needs certainty checks the line exactly.
   */
  public static long indexOfLineEndNotingPair(byte[] a, int from, int to, byte p0, byte p1) {
    return indexOfLineEndNotingPairs(a, from, to, p0, p1, p1) & ~SECOND_PAIR;
  }

  /** Bit 33 of {@link #indexOfLineEndNotingPairs}: the second pair was seen. */
  public static final long SECOND_PAIR = 1L << 33;

  /**
   * {@link #indexOfLineEndNotingPair}, noting a second pair with the same first byte as well ({@code p0 p2},
   * bit 33, {@link #SECOND_PAIR}) at no extra cost: only bytes equal to {@code p0} are looked at twice.
   */
  public static long indexOfLineEndNotingPairs(byte[] a, int from, int to, byte p0, byte p1, byte p2) {
    long q0 = (p0 & 0xFFL) * ONES;
    long pairs = 0;
    int i = from;
    // Last start of a whole word that still leaves a[j + 1] readable for the pair check.
    int lastWord = Math.min(to, a.length - 1) - 8;
    for (; i <= lastWord; i += 8) {
      long word = (long) LONGS.get(a, i);
      // One cheap test per word: any control byte (< 0x0E covers '\n' and '\r') or any p0. Only words
      // that have one are looked at byte by byte; in a long payload most words have neither.
      long suspects = ((word - BELOW_0E) & ~word & HIGHS) | zeroBytes(word ^ q0);
      if (suspects == 0) {
        continue;
      }
      for (int j = i; j < i + 8; j++) {
        byte b = a[j];
        if (b == '\n' || b == '\r') {
          return (j & 0xFFFFFFFFL) | pairs;
        }
        if (b == p0) {
          pairs |= pairFlags(a[j + 1], p1, p2);
        }
      }
    }
    for (; i < to; i++) {
      if (a[i] == '\n' || a[i] == '\r') {
        return (i & 0xFFFFFFFFL) | pairs;
      }
      if (a[i] == p0 && i + 1 < a.length) {
        pairs |= pairFlags(a[i + 1], p1, p2);
      }
    }
    return 0xFFFFFFFFL | pairs;
  }

  private static long pairFlags(byte next, byte p1, byte p2) {
    return (next == p1 ? 1L << 32 : 0) | (next == p2 ? SECOND_PAIR : 0);
  }

  /** True when {@code needle} occurs in {@code haystack}. */
  public static boolean contains(byte[] haystack, byte[] needle) {
    return contains(haystack, 0, haystack.length, needle);
  }

  /**
   * True when {@code needle} occurs in {@code a[from, to)}. Candidates are found by the needle's first
   * two bytes together: JSON is full of quotes, so searching for {@code "error"} by its first byte alone
   * stopped every few bytes and made this check the top cost of relaying a large stream.
   */
  public static boolean contains(byte[] a, int from, int to, byte[] needle) {
    return indexOf(a, from, to, needle) >= 0;
  }

  /** The first index of {@code needle} in {@code a[from, to)}, or -1; found as {@link #contains} says. */
  public static int indexOf(byte[] a, int from, int to, byte[] needle) {
    if (needle.length < 2) {
      return needle.length == 0 ? from : indexOf(a, from, to, needle[0]);
    }
    int lastStart = to - needle.length;
    for (int i = from; i <= lastStart; i++) {
      i = indexOfPair(a, i, lastStart + 1, needle[0], needle[1]);
      if (i < 0) {
        return -1;
      }
      if (java.util.Arrays.equals(a, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  /** First {@code i} in {@code [from, to)} with {@code a[i] == b0 && a[i + 1] == b1}; needs {@code to < a.length}. */
  private static int indexOfPair(byte[] a, int from, int to, byte b0, byte b1) {
    long p0 = (b0 & 0xFFL) * ONES;
    long p1 = (b1 & 0xFFL) * ONES;
    int i = from;
    for (; i + 8 <= to && i + 9 <= a.length; i += 8) {
      long hits = zeroBytes((long) LONGS.get(a, i) ^ p0) & zeroBytes((long) LONGS.get(a, i + 1) ^ p1);
      // Flags can be false above a real match; each candidate is checked, lowest first.
      for (; hits != 0; hits &= hits - 1) {
        int j = i + (Long.numberOfTrailingZeros(hits) >>> 3);
        if (a[j] == b0 && a[j + 1] == b1) {
          return j;
        }
      }
    }
    for (; i < to; i++) {
      if (a[i] == b0 && a[i + 1] == b1) {
        return i;
      }
    }
    return -1;
  }

  private static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }
}
