package dev.llmproxy.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteScanTest {
  private static final byte[] ALPHABET = {'a', '\n', '\r', '"', 'e', ':', ' ', (byte) 0x80, (byte) 0xff};

  @Test
  void findsTheSameBytesAsAPlainLoopOnEveryAlignment() {
    Random random = new Random(42);
    for (int t = 0; t < 20_000; t++) {
      byte[] a = randomBytes(random, random.nextInt(40));
      int from = random.nextInt(a.length + 1);
      int to = from + random.nextInt(a.length - from + 1);
      assertEquals(naiveIndexOf(a, from, to, (byte) '\n', (byte) '\n'), ByteScan.indexOf(a, from, to, (byte) '\n'));
      assertEquals(naiveIndexOf(a, from, to, (byte) 0xff, (byte) 0xff), ByteScan.indexOf(a, from, to, (byte) 0xff));
      long lineEnd = ByteScan.indexOfLineEndNotingPair(a, from, to, (byte) '"', (byte) 'e');
      int eol = naiveIndexOf(a, from, to, (byte) '\n', (byte) '\r');
      assertEquals(eol, (int) lineEnd);
      boolean pairBeforeEol = new String(a, from, (eol < 0 ? to : eol) - from, StandardCharsets.ISO_8859_1).contains("\"e");
      boolean reported = (lineEnd >>> 32) != 0;
      // Never missed; reported without being there only when it reaches past the range.
      assertTrue(!pairBeforeEol || reported, () -> java.util.Arrays.toString(a));
      if (reported && !pairBeforeEol) {
        assertTrue(eol < 0 && to < a.length && a[to - 1] == '"' && a[to] == 'e', () -> java.util.Arrays.toString(a));
      }
    }
  }

  @Test
  void notesASecondPairWithTheSameFirstByteInTheSamePass() {
    Random random = new Random(43);
    for (int t = 0; t < 20_000; t++) {
      byte[] a = randomBytes(random, random.nextInt(40));
      int from = random.nextInt(a.length + 1);
      int to = from + random.nextInt(a.length - from + 1);
      long both = ByteScan.indexOfLineEndNotingPairs(a, from, to, (byte) '"', (byte) 'e', (byte) ':');
      long first = ByteScan.indexOfLineEndNotingPair(a, from, to, (byte) '"', (byte) 'e');
      long second = ByteScan.indexOfLineEndNotingPair(a, from, to, (byte) '"', (byte) ':');
      assertEquals(first, both & ~ByteScan.SECOND_PAIR, "the line end and the first pair as on their own");
      assertEquals((second & (1L << 32)) != 0, (both & ByteScan.SECOND_PAIR) != 0, () -> java.util.Arrays.toString(a));
    }
  }

  @Test
  void containsMatchesStringContains() {
    Random random = new Random(7);
    byte[] needle = "\"e".getBytes(StandardCharsets.US_ASCII);
    for (int t = 0; t < 20_000; t++) {
      byte[] a = randomBytes(random, random.nextInt(40));
      boolean expected = new String(a, StandardCharsets.ISO_8859_1).contains("\"e");
      assertEquals(expected, ByteScan.contains(a, needle));
    }
  }

  @Test
  void containsInARangeMatchesStringContainsForLongerNeedles() {
    Random random = new Random(11);
    byte[] needle = "\"e\"e".getBytes(StandardCharsets.US_ASCII);
    for (int t = 0; t < 50_000; t++) {
      byte[] a = randomBytes(random, random.nextInt(60));
      int from = random.nextInt(a.length + 1);
      int to = from + random.nextInt(a.length - from + 1);
      boolean expected = new String(a, from, to - from, StandardCharsets.ISO_8859_1).contains("\"e\"e");
      assertEquals(expected, ByteScan.contains(a, from, to, needle), () -> java.util.Arrays.toString(a));
    }
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] a = new byte[n];
    for (int i = 0; i < n; i++) {
      a[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return a;
  }

  private static int naiveIndexOf(byte[] a, int from, int to, byte b1, byte b2) {
    for (int i = from; i < to; i++) {
      if (a[i] == b1 || a[i] == b2) {
        return i;
      }
    }
    return -1;
  }
}
