package dev.llmproxy.relay;

import dev.llmproxy.buffers.BufferBudgetExceededException;
import dev.llmproxy.buffers.BufferMeter;
import dev.llmproxy.error.GatewayException;
import dev.llmproxy.error.OpenAiError;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Reads a request body without blocking: reads while {@link ServletInputStream#isReady()} is true and
 * resumes when the container calls {@link #onDataAvailable()}. Stops with 413 beyond {@code maxBytes}.
 * Memory grows with what arrives, never with what a client declares: a declared length only sizes the
 * first buffer up to {@value #MAX_INITIAL_BYTES} (so 40 connections declaring 32 MiB and sending nothing
 * cost 40 small buffers, not 1.3 GB). Growth past 1 MiB is reserved from the gateway's large-buffer budget
 * ({@link BufferMeter}); when it does not fit, the rest is read and dropped and the read then fails with a
 * {@link BufferBudgetExceededException} ({@link #refuseOnceRead}). A body
 * that stops arriving fails with 408 ({@link #failWhenStalled}).
 *
 * <p>Threading: the container calls the listener methods; the stall check runs on the scheduler. The read ends
 * once ({@link #finished}), whichever of them ends it. One reader per request.
 */
final class RequestBodyReader implements ReadListener {
  /** The most a declared Content-Length reserves before any byte of the body arrived. */
  static final int MAX_INITIAL_BYTES = 64 * 1024;
  private final ServletInputStream in;
  private final long maxBytes;
  private final BufferMeter meter;
  private final Consumer<byte[]> onBody;
  private final Consumer<Throwable> onFailure;
  private byte[] buffer;
  private int length;
  private final AtomicBoolean finished = new AtomicBoolean();
  /** When the container last said bytes were there. */
  private volatile long lastArrivalNanos = System.nanoTime();
  private ScheduledExecutorService scheduler;
  private Duration stallTimeout;
  private volatile ScheduledFuture<?> stallCheck;
  /** Set once the budget refused the body's growth: the rest is read and dropped ({@link #refuseOnceRead}). */
  private BufferBudgetExceededException refused;
  /** Bytes of the body read in all, kept or dropped, against {@code maxBytes}. */
  private long received;

  RequestBodyReader(ServletInputStream in, long maxBytes, long contentLength, BufferMeter meter,
      Consumer<byte[]> onBody, Consumer<Throwable> onFailure) {
    this.in = in;
    this.maxBytes = maxBytes;
    this.meter = meter;
    this.onBody = onBody;
    this.onFailure = onFailure;
    int initial = contentLength > 0 && contentLength <= maxBytes ? (int) Math.min(contentLength, MAX_INITIAL_BYTES) : 8192;
    this.buffer = new byte[Math.max(initial, 16)];
  }

  @Override
  public void onDataAvailable() throws IOException {
    lastArrivalNanos = System.nanoTime();
    while (!finished.get() && in.isReady()) {
      int n;
      try {
        n = refused != null ? in.read(buffer, 0, buffer.length)
            : length == buffer.length ? readOneMore() : in.read(buffer, length, buffer.length - length);
      } catch (BufferBudgetExceededException e) {
        refuseOnceRead(e);
        continue;
      }
      if (n < 0) {
        return;
      }
      received += n;
      if (received > maxBytes && finish()) {
        onFailure.accept(new GatewayException(413, OpenAiError.bodyTooLarge(maxBytes)));
        return;
      }
      if (refused == null) {
        length += n;
      }
    }
  }

  /**
   * A body whose growth the budget cannot take is refused once all of it has arrived, read into a small buffer and
   * dropped, not at once: answering while the client still sends lets the container close the connection under the
   * answer (Tomcat reads at most 2 MB of a body nobody read, then closes, and the client's next write meets a reset
   * that loses the 503 with it). Nothing more is kept; 413 beyond {@code maxBytes} and 408 on a stall still apply.
   */
  private void refuseOnceRead(BufferBudgetExceededException why) {
    refused = why;
    received++; // the byte read before the growth was asked for
    buffer = new byte[8192];
    length = 0;
  }

  /**
   * The buffer is full, which for a body sized by its Content-Length means complete: one byte is read
   * before growing it, so the usual body is not copied into a doubled array only to meet its end. A body
   * larger than the first buffer grows by doubling as it arrives. Returns 1, or -1 at the end.
   */
  private int readOneMore() throws IOException {
    int next = in.read();
    if (next < 0) {
      return -1;
    }
    int grown = (int) Math.min(maxBytes + 1, Math.max(16, (long) buffer.length * 2));
    meter.ensure(grown);
    buffer = Arrays.copyOf(buffer, grown);
    buffer[length] = (byte) next;
    return 1;
  }

  /**
   * Fails the read with 408 once nothing of the body arrived for {@code timeout} ({@code request-body-timeout}).
   * The container's idle timeout cannot be relied on: Jetty 12 did not fire it during an asynchronous read (a body
   * declared 1000 bytes long that stopped after 9 held its request 200 s and more), and the request holds a
   * {@code max-open-requests} place from before its body is read. One task per request, rescheduled at most once
   * per {@code timeout} while bytes keep coming.
   */
  void failWhenStalled(ScheduledExecutorService stallScheduler, Duration timeout) {
    this.scheduler = stallScheduler;
    this.stallTimeout = timeout;
    scheduleStallCheck(timeout.toNanos());
  }

  private void scheduleStallCheck(long delayNanos) {
    if (!finished.get()) {
      stallCheck = scheduler.schedule(this::checkStall, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void checkStall() {
    long silentNanos = System.nanoTime() - lastArrivalNanos;
    if (silentNanos < stallTimeout.toNanos()) {
      scheduleStallCheck(stallTimeout.toNanos() - silentNanos);
    } else if (finish()) {
      onFailure.accept(new GatewayException(408, OpenAiError.requestBodyTimeout(stallTimeout)));
    }
  }

  /** Ends the read; true for the one caller that ended it. */
  private boolean finish() {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    ScheduledFuture<?> check = stallCheck;
    if (check != null) {
      check.cancel(false);
    }
    return true;
  }

  /** Bytes reserved so far (for tests: memory follows what arrived, not what was declared). */
  int capacity() {
    return buffer.length;
  }

  @Override
  public void onAllDataRead() {
    if (!finish()) {
      return;
    }
    if (refused != null) {
      onFailure.accept(refused);
    } else {
      onBody.accept(length == buffer.length ? buffer : Arrays.copyOf(buffer, length));
    }
  }

  @Override
  public void onError(Throwable t) {
    if (finish()) {
      onFailure.accept(t);
    }
  }
}
