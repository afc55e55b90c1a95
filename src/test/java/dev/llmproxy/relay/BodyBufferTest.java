package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmproxy.buffers.BufferAccount;
import dev.llmproxy.buffers.BufferBudgetExceededException;
import dev.llmproxy.buffers.BufferMeter;
import dev.llmproxy.buffers.LargeBufferBudget;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyBufferTest {
  private static final BufferMeter UNLIMITED = BufferAccount.unlimited().newMeter();

  private static ByteBuffer read(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void collectsReadsGrowingPastItsFirstSizeAndConsumesThem() {
    BodyBuffer body = new BodyBuffer(4, UNLIMITED);
    ByteBuffer first = read("{\"id\":");
    body.append(first, Integer.MAX_VALUE);
    body.append(read("1}"), Integer.MAX_VALUE);
    assertFalse(first.hasRemaining());
    assertEquals("{\"id\":1}", new String(body.toArray(), StandardCharsets.US_ASCII));
  }

  @Test
  void keepsNoMoreThanTheLimitAndDropsTheRest() {
    BodyBuffer body = new BodyBuffer(0, UNLIMITED);
    ByteBuffer data = read("0123456789");
    body.append(data, 4);
    body.append(read("abc"), 4);
    assertFalse(data.hasRemaining(), "the rest is consumed, not left for another read");
    assertArrayEquals("0123".getBytes(StandardCharsets.US_ASCII), body.toArray());
  }

  @Test
  void aBufferSizedByTheDeclaredLengthHandsOverItsOwnArray() {
    BodyBuffer body = new BodyBuffer(5, UNLIMITED);
    body.append(read("hello"), Integer.MAX_VALUE);
    byte[] first = body.toArray();
    assertEquals(5, first.length);
    assertSame(first, body.toArray(), "no copy when exactly full");
  }

  @Test
  void growingPastWhatTheBudgetHoldsFailsBeforeAllocating() {
    LargeBufferBudget budget = new LargeBufferBudget(3 << 20);
    BodyBuffer body = new BodyBuffer(1 << 20, budget.newAccount().newMeter());
    body.append(ByteBuffer.allocate(1 << 20), Integer.MAX_VALUE);
    body.append(ByteBuffer.allocate(1 << 20), Integer.MAX_VALUE); // 2 MiB: fits
    assertThrows(BufferBudgetExceededException.class,
        () -> body.append(ByteBuffer.allocate(2 << 20), Integer.MAX_VALUE)); // 4 MiB in all: does not
    assertEquals(0, budget.reserved(), "the exchange gave back what it held");
  }
}
