package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyBufferTest {
  private static ByteBuffer read(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void collectsReadsGrowingPastItsFirstSizeAndConsumesThem() {
    BodyBuffer body = new BodyBuffer(4);
    ByteBuffer first = read("{\"id\":");
    body.append(first, Integer.MAX_VALUE);
    body.append(read("1}"), Integer.MAX_VALUE);
    assertFalse(first.hasRemaining());
    assertEquals("{\"id\":1}", new String(body.toArray(), StandardCharsets.US_ASCII));
  }

  @Test
  void keepsNoMoreThanTheLimitAndDropsTheRest() {
    BodyBuffer body = new BodyBuffer(0);
    ByteBuffer data = read("0123456789");
    body.append(data, 4);
    body.append(read("abc"), 4);
    assertFalse(data.hasRemaining(), "the rest is consumed, not left for another read");
    assertArrayEquals("0123".getBytes(StandardCharsets.US_ASCII), body.toArray());
  }

  @Test
  void aBufferSizedByTheDeclaredLengthHandsOverItsOwnArray() {
    BodyBuffer body = new BodyBuffer(5);
    body.append(read("hello"), Integer.MAX_VALUE);
    byte[] first = body.toArray();
    assertEquals(5, first.length);
    assertSame(first, body.toArray(), "no copy when exactly full");
  }
}
