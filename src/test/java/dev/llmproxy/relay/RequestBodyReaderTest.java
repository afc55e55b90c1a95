package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmproxy.buffers.BufferBudgetExceededException;
import dev.llmproxy.buffers.BufferMeter;
import dev.llmproxy.buffers.LargeBufferBudget;
import dev.llmproxy.error.GatewayException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RequestBodyReaderTest {
  private static final BufferMeter UNLIMITED = new LargeBufferBudget(Long.MAX_VALUE).newAccount().newMeter();
  /** Hands out the queued pieces; a read never crosses a piece, as a container's read does not cross a packet. */
  private static final class PiecesInput extends ServletInputStream {
    final ArrayDeque<byte[]> pieces = new ArrayDeque<>();
    int offset;
    boolean ended;

    @Override
    public boolean isReady() {
      return !pieces.isEmpty() || ended;
    }

    @Override
    public boolean isFinished() {
      return pieces.isEmpty() && ended;
    }

    @Override
    public void setReadListener(ReadListener readListener) {}

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pieces.isEmpty()) {
        if (!ended) {
          throw new IllegalStateException("read while not ready");
        }
        return -1;
      }
      byte[] piece = pieces.peek();
      int n = Math.min(len, piece.length - offset);
      System.arraycopy(piece, offset, b, off, n);
      offset += n;
      if (offset == piece.length) {
        pieces.poll();
        offset = 0;
      }
      return n;
    }
  }

  private final AtomicReference<byte[]> body = new AtomicReference<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  /** A 3 MiB budget of which another request holds 2: a body's growth past 1 MiB does not fit. */
  private static LargeBufferBudget budgetWithTwoOfThreeMiBHeld() {
    LargeBufferBudget budget = new LargeBufferBudget(3 << 20);
    budget.newAccount().newMeter().ensure(2 << 20);
    return budget;
  }

  private void feed(RequestBodyReader reader, PiecesInput in, byte[] all, int... cuts) throws Exception {
    int from = 0;
    for (int cut : cuts) {
      in.pieces.add(java.util.Arrays.copyOfRange(all, from, cut));
      from = cut;
      reader.onDataAvailable();
    }
    in.pieces.add(java.util.Arrays.copyOfRange(all, from, all.length));
    in.ended = true;
    reader.onDataAvailable();
    if (in.isFinished() && failure.get() == null) {
      reader.onAllDataRead();
    }
  }

  @Test
  void aBodyOfItsDeclaredLengthArrivesWholeInPieces() throws Exception {
    byte[] all = new byte[1000];
    new Random(1).nextBytes(all);
    PiecesInput in = new PiecesInput();
    RequestBodyReader reader = new RequestBodyReader(in, 4096, all.length, UNLIMITED, body::set, failure::set);
    feed(reader, in, all, 300, 700);
    assertArrayEquals(all, body.get());
    assertNull(failure.get());
  }

  @Test
  void aBodyWithoutLengthGrowsAndArrivesWhole() throws Exception {
    byte[] all = new byte[20_000];
    new Random(2).nextBytes(all);
    PiecesInput in = new PiecesInput();
    RequestBodyReader reader = new RequestBodyReader(in, 1 << 20, -1, UNLIMITED, body::set, failure::set);
    feed(reader, in, all, 8192, 8193, 16_000);
    assertArrayEquals(all, body.get());
  }

  @Test
  void aBodyLongerThanDeclaredStillArrivesWhole() throws Exception {
    byte[] all = new byte[50];
    new Random(3).nextBytes(all);
    PiecesInput in = new PiecesInput();
    RequestBodyReader reader = new RequestBodyReader(in, 1024, 20, UNLIMITED, body::set, failure::set);
    feed(reader, in, all, 20, 21);
    assertArrayEquals(all, body.get());
  }

  @Test
  void aDeclaredLengthReservesAtMostTheFirstBufferUntilTheBytesArrive() throws Exception {
    PiecesInput in = new PiecesInput();
    long declared = 32L << 20;
    RequestBodyReader reader = new RequestBodyReader(in, 64L << 20, declared, UNLIMITED, body::set, failure::set);
    in.pieces.add(new byte[9]);
    reader.onDataAvailable();
    assertEquals(RequestBodyReader.MAX_INITIAL_BYTES, reader.capacity(),
        "a client declaring 32 MiB and sending 9 bytes holds 64 KiB, not 32 MiB");
    byte[] all = new byte[200_000];
    new Random(4).nextBytes(all);
    PiecesInput whole = new PiecesInput();
    RequestBodyReader growing = new RequestBodyReader(whole, 64L << 20, all.length, UNLIMITED, body::set, failure::set);
    feed(growing, whole, all, 70_000, 140_000);
    assertArrayEquals(all, body.get(), "a body beyond the first buffer still arrives whole");
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() throws Exception {
    PiecesInput in = new PiecesInput();
    RequestBodyReader reader = new RequestBodyReader(in, 100, 100, UNLIMITED, body::set, failure::set);
    feed(reader, in, new byte[101], 100);
    assertNull(body.get());
    assertEquals(413, ((GatewayException) failure.get()).status());
  }

  @Test
  void aBodyThatStopsArrivingFailsWith408AfterTheStallTimeout() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      PiecesInput in = new PiecesInput();
      RequestBodyReader reader = new RequestBodyReader(in, 4096, 1000, UNLIMITED, body::set, failure::set);
      reader.failWhenStalled(scheduler, Duration.ofMillis(300));
      in.pieces.add(new byte[9]);
      reader.onDataAvailable();
      Thread.sleep(150);
      assertNull(failure.get(), "not yet");
      Thread.sleep(600);
      assertEquals(408, ((GatewayException) failure.get()).status());
      assertNull(body.get());
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aBodyThatKeepsArrivingSlowerThanTheStallTimeoutInTotalIsNotCut() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      PiecesInput in = new PiecesInput();
      RequestBodyReader reader = new RequestBodyReader(in, 4096, 10, UNLIMITED, body::set, failure::set);
      reader.failWhenStalled(scheduler, Duration.ofMillis(300));
      for (int i = 0; i < 9; i++) {
        in.pieces.add(new byte[1]);
        reader.onDataAvailable();
        Thread.sleep(100);
      }
      in.pieces.add(new byte[1]);
      in.ended = true;
      reader.onDataAvailable();
      reader.onAllDataRead();
      Thread.sleep(500);
      assertNull(failure.get());
      assertEquals(10, body.get().length);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aBodyWhoseGrowthTheBudgetCannotTakeFailsWithoutTakingIt() throws Exception {
    LargeBufferBudget budget = budgetWithTwoOfThreeMiBHeld();
    PiecesInput in = new PiecesInput();
    RequestBodyReader reader = new RequestBodyReader(in, 32L << 20, -1, budget.newAccount().newMeter(), body::set,
        failure::set);
    byte[] all = new byte[3 << 20];
    feed(reader, in, all, 1 << 20, 2 << 20);
    assertNull(body.get());
    assertInstanceOf(BufferBudgetExceededException.class, failure.get());
    assertEquals(2 << 20, budget.reserved(), "the refused growth took nothing");
  }

  @Test
  void aBodyTheBudgetRefusedIsReadToItsEndAndDroppedBeforeTheRefusal() throws Exception {
    LargeBufferBudget budget = budgetWithTwoOfThreeMiBHeld();
    PiecesInput in = new PiecesInput();
    RequestBodyReader reader = new RequestBodyReader(in, 32L << 20, -1, budget.newAccount().newMeter(), body::set,
        failure::set);
    byte[] all = new byte[6 << 20];
    in.pieces.add(java.util.Arrays.copyOfRange(all, 0, 3 << 20));
    reader.onDataAvailable();
    assertNull(failure.get(), "no answer while the client still sends: the container would close under it");
    assertEquals(8192, reader.capacity(), "what arrives after the refusal is not kept");
    in.pieces.add(java.util.Arrays.copyOfRange(all, 3 << 20, all.length));
    in.ended = true;
    reader.onDataAvailable();
    reader.onAllDataRead();
    assertNull(body.get());
    assertInstanceOf(BufferBudgetExceededException.class, failure.get());
  }

  @Test
  void aRefusedBodyBeyondTheLimitIsStill413() throws Exception {
    PiecesInput in = new PiecesInput();
    RequestBodyReader reader = new RequestBodyReader(in, 4L << 20, -1,
        budgetWithTwoOfThreeMiBHeld().newAccount().newMeter(), body::set, failure::set);
    in.pieces.add(new byte[3 << 20]);
    reader.onDataAvailable();
    assertEquals(8192, reader.capacity(), "refused by the budget, read on into the small buffer");
    in.pieces.add(new byte[3 << 20]);
    reader.onDataAvailable();
    assertInstanceOf(GatewayException.class, failure.get());
    assertEquals(413, ((GatewayException) failure.get()).status());
  }
}
