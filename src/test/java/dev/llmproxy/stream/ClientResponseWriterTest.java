package dev.llmproxy.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.llmproxy.testing.ToggledOutput;
import jakarta.servlet.AsyncContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientResponseWriterTest {

  private static final class RecordingListener implements ClientResponseWriter.Listener {
    int drained;
    Throwable failed;

    @Override
    public void onClientDrained() {
      drained++;
    }

    @Override
    public void onClientWriteFailed(Throwable cause) {
      failed = cause;
    }
  }

  private final ToggledOutput out = new ToggledOutput();
  private final AsyncContext asyncContext = mock(AsyncContext.class);
  private final RecordingListener listener = new RecordingListener();
  private final ClientResponseWriter writer = new ClientResponseWriter(asyncContext, out, 10, Runnable::run);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesAndFlushesWhileReady() {
    writer.register(listener);
    writer.write(bytes("data: 1\n\n"), true);
    assertEquals("data: 1\n\n", out.text());
    assertEquals(1, out.flushes);
  }

  @Test
  void neverHandsTheContainerMoreThanItsBufferBetweenFlushes() {
    ClientResponseWriter bounded = new ClientResponseWriter(asyncContext, out, 64 * 1024, Runnable::run,
        1024 + ClientResponseWriter.CHUNK_FRAMING);
    bounded.register(listener);
    byte[] big = new byte[2500];
    java.util.Arrays.fill(big, (byte) 'x');
    bounded.write(bytes("data: 1\n\n"), false);
    bounded.write(big, true);
    assertEquals(9 + 2500, out.written.size(), "everything written, in order");
    assertEquals(java.util.List.of(1024, 1024, 461), out.flushedSizes,
        "pieces that fit the container's buffer (less the chunk framing), each flushed before the next");
  }

  @Test
  void holdsCapacityBackWhileClientIsSlowAndGrantsAfterWritePossible() {
    writer.register(listener);
    out.ready = false;
    writer.write(bytes("123456"), true);
    writer.write(bytes("7890"), true);
    assertEquals("", out.text(), "nothing written while not ready");
    assertEquals(0, writer.freeSpace(), "the upstream is held back");
    assertEquals(0, listener.drained);

    out.ready = true;
    writer.onWritePossible();
    assertEquals("1234567890", out.text(), "order kept");
    assertEquals(1, listener.drained, "capacity granted again after the client drained");
    assertEquals(10, writer.freeSpace());
  }

  @Test
  void aResponseThatProvesToBeBulkMayQueueMore() {
    ClientResponseWriter bulk = new ClientResponseWriter(asyncContext, new ToggledOutput(), 64 * 1024, Runnable::run);
    bulk.register(listener);
    assertEquals(64 * 1024, bulk.freeSpace(), "a token stream is held to the normal mark");
    bulk.write(new byte[(int) ClientResponseWriter.BULK_AFTER_BYTES - 1], false);
    assertEquals(64 * 1024, bulk.freeSpace());
    bulk.write(new byte[1], false);
    assertEquals(ClientResponseWriter.BULK_HIGH_WATER_MARK, bulk.freeSpace(), "after 1 MiB it may have 1 MiB queued");
  }

  @Test
  void anArrayIsOfferedForReuseOnlyOnceTheContainerIsDoneWithIt() {
    writer.register(listener);
    byte[] first = bytes("12345678");
    out.ready = false;
    writer.writeReusable(ByteBuffer.wrap(first), true);
    assertEquals(null, writer.takeSpare(1), "queued, not written yet");
    out.ready = true;
    writer.onWritePossible();
    // Written, and the container said ready again: the write completed.
    assertTrue(first == writer.takeSpare(8));
    assertEquals(null, writer.takeSpare(1), "handed out once");
    byte[] second = bytes("abcd");
    writer.writeReusable(ByteBuffer.wrap(second), true);
    assertEquals(null, writer.takeSpare(5), "too small for the caller");
    assertTrue(second == writer.takeSpare(4));
  }

  @Test
  void anArrayWrittenAsPossiblySharedIsNeverOfferedForReuse() {
    writer.register(listener);
    byte[] keepAlive = bytes(": keep-alive\n\n");
    writer.write(keepAlive, true);
    assertEquals(": keep-alive\n\n", out.text());
    assertEquals(null, writer.takeSpare(1), "a constant frame must never be overwritten by a later batch");
  }

  @Test
  void completesOnlyAfterQueueDrained() {
    writer.register(listener);
    out.ready = false;
    writer.write(bytes("tail"), false);
    writer.complete();
    verify(asyncContext, never()).complete();
    out.ready = true;
    writer.onWritePossible();
    assertEquals("tail", out.text());
    verify(asyncContext).complete();
    assertTrue(writer.isClosed());
  }

  @Test
  void aClientThatFallsTooFarBehindIsGivenUpWhateverTheUpstreamSends() {
    writer.register(listener);
    out.ready = false;
    for (int i = 0; i < 10; i++) {
      writer.write(new byte[5], false);
    }
    assertEquals(null, listener.failed, "within the hard limit (4 x 10 bytes, and two of the largest chunk)");
    writer.write(new byte[5], false);
    assertTrue(listener.failed instanceof ClientResponseWriter.ClientTooSlowException, String.valueOf(listener.failed));
    assertTrue(writer.isClosed());
    assertEquals(0, writer.queuedBytes(), "what it held is let go");
  }

  @Test
  void aLargeChunkMayWaitBehindAnotherWhileTheClientDrainsTheFirst() {
    writer.register(listener);
    out.ready = false;
    writer.write(new byte[1000], false);
    writer.write(new byte[1000], false);
    writer.write(new byte[30], false);
    assertEquals(null, listener.failed, "a large translated event and the next: no sign of a client that does not read");
    assertEquals(2030, writer.queuedBytes());
  }

  @Test
  void whatAWriteDiscoversIsReportedThroughTheNotifierNeverOnTheWritingThread() {
    java.util.List<Runnable> later = new java.util.ArrayList<>();
    ClientResponseWriter deferred = new ClientResponseWriter(asyncContext, out, 10, later::add);
    deferred.register(listener);
    out.failure = new IOException("broken pipe");
    deferred.write(bytes("x"), true);
    assertEquals(null, listener.failed, "not reported into the caller, which may hold its own locks");
    assertEquals(1, later.size());
    later.get(0).run();
    assertEquals("broken pipe", listener.failed.getMessage());
  }

  @Test
  void completionOfTheAsyncContextHappensOutsideTheWritersMonitor() {
    ClientResponseWriter[] self = new ClientResponseWriter[1];
    boolean[] heldMonitor = new boolean[1];
    AsyncContext checking = mock(AsyncContext.class);
    org.mockito.Mockito.doAnswer(inv -> {
      heldMonitor[0] = Thread.holdsLock(self[0]);
      return null;
    }).when(checking).complete();
    self[0] = new ClientResponseWriter(checking, out, 10, Runnable::run);
    self[0].register(listener);
    self[0].write(bytes("x"), false);
    self[0].complete();
    verify(checking).complete();
    assertEquals(false, heldMonitor[0], "the container's listeners re-enter the exchange from complete()");
  }

  @Test
  void writeFailureIsReportedOnceAndLaterWritesAreDropped() {
    writer.register(listener);
    out.failure = new IOException("broken pipe");
    writer.write(bytes("x"), true);
    assertEquals("broken pipe", listener.failed.getMessage());
    out.failure = null;
    writer.write(bytes("y"), true);
    assertEquals("", out.text());
  }
}
