package dev.llmproxy.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
      assertEquals(naiveIndexOf(a, from, to, (byte) '\n', (byte) '\r'),
          ByteScan.indexOfEither(a, from, to, (byte) '\n', (byte) '\r'));
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
