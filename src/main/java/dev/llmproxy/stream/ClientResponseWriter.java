package dev.llmproxy.stream;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Non-blocking writer to the client: queues chunks, writes only while {@link ServletOutputStream#isReady()}
 * is true and resumes in {@link #onWritePossible()}; completes the {@link AsyncContext} once the queue
 * is drained. No thread ever waits on the client.
 *
 * <p>Threading: any thread may call {@link #write}, {@link #complete}; the container calls the
 * listener methods. All state is guarded by this object's monitor, so only one thread writes at a
 * time. {@link Listener} callbacks run outside the monitor, because they re-enter the exchange.
 */
public final class ClientResponseWriter implements WriteListener {

  /** What the exchange learns from the client side. */
  public interface Listener {
    /** The queue drained below the low-water mark: the upstream may send more. */
    void onClientDrained();

    /** Writing failed: the client is gone. */
    void onClientWriteFailed(Throwable cause);
  }

  private final AsyncContext asyncContext;
  private final ServletOutputStream out;
  /**
   * A response that has carried this much is a bulk transfer (a very long completion), not a token
   * stream, and may queue up to {@link #BULK_HIGH_WATER_MARK}. The queue limit is also how much the
   * upstream may have in flight (HTTP/2 window updates follow our capacity grants): at 64 KiB a fast
   * stream waited for a window update every 64 KiB (1 GiB relayed at ~0.65 GiB/s, with 1 MiB ~1.1).
   * Token streams never get there, so thousands of them stay at 64 KiB each even if clients stall.
   */
  static final long BULK_AFTER_BYTES = 1 << 20;
  static final int BULK_HIGH_WATER_MARK = 1 << 20;

  private final int highWaterMark;
  private long acceptedBytes;
  /** The array of the last chunk handed to the container, until the container says it is done with it. */
  private byte[] inContainer;
  /** An array the container is done with, for the next batch of frames (saves allocating and zeroing it). */
  private byte[] spare;
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private Listener listener;
  private long queuedBytes;
  private boolean flushPending;
  private boolean completeRequested;
  private boolean closed;
  private boolean listenerRegistered;
  private boolean starved;
  private Throwable failure;
  private boolean failureReported;
  private long lastWriteNanos = System.nanoTime();

  public ClientResponseWriter(AsyncContext asyncContext, ServletOutputStream out, int highWaterMark) {
    this.asyncContext = asyncContext;
    this.out = out;
    this.highWaterMark = highWaterMark;
  }

  /** Registers with the container; call once from the container thread that started async. */
  public void register(Listener listener) {
    synchronized (this) {
      this.listener = listener;
      listenerRegistered = true;
    }
    out.setWriteListener(this);
  }

  /**
   * Queues a chunk; {@code flush} pushes it to the network at once. The array must not change until
   * written, and is never handed out for reuse (it may be a shared constant such as a keep-alive frame).
   */
  public void write(byte[] chunk, boolean flush) {
    enqueue(new Chunk(ByteBuffer.wrap(chunk), false), flush);
  }

  /**
   * Queues the remaining bytes of a heap buffer whose array the caller gives away: once written it
   * may come back from {@link #takeSpare}.
   */
  public void writeReusable(ByteBuffer chunk, boolean flush) {
    enqueue(new Chunk(chunk, true), flush);
  }

  /** A queued piece of the response, and whether its array may be reused once written. */
  private record Chunk(ByteBuffer bytes, boolean reusable) {
    int length() {
      return bytes.remaining();
    }
  }

  private void enqueue(Chunk chunk, boolean flush) {
    whileOpen(() -> {
      queue.add(chunk);
      queuedBytes += chunk.length();
      acceptedBytes += chunk.length();
      flushPending |= flush;
    });
  }

  /** Completes the response after everything queued has been written. Idempotent. */
  public void complete() {
    whileOpen(() -> completeRequested = true);
  }

  /**
   * Applies {@code change} (under this monitor) unless the response is over or ending, writes what the
   * container takes, then tells the listener outside the monitor.
   */
  private void whileOpen(Runnable change) {
    boolean drained;
    synchronized (this) {
      if (closed || completeRequested) {
        return;
      }
      change.run();
      drained = drainLocked();
    }
    afterDrain(drained);
  }

  /**
   * An array of at least {@code minLength} bytes that no queued or written chunk uses any more, or
   * {@code null}; the caller owns it from now on.
   */
  public synchronized byte[] takeSpare(int minLength) {
    byte[] a = spare;
    if (a == null || a.length < minLength) {
      return null;
    }
    spare = null;
    return a;
  }

  private void recycle(byte[] array) {
    if (array != null && (spare == null || array.length > spare.length)) {
      spare = array;
    }
  }

  /** Bytes the upstream may still send before the client must catch up; 0 means hold back. */
  public synchronized int freeSpace() {
    long free = currentHighWaterMark() - queuedBytes;
    if (free <= 0) {
      starved = true;
      return 0;
    }
    return (int) free;
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  /** Nanos timestamp of the last chunk handed to the container. */
  public synchronized long lastWriteNanos() {
    return lastWriteNanos;
  }

  @Override
  public void onWritePossible() {
    boolean drained;
    synchronized (this) {
      drained = drainLocked();
    }
    afterDrain(drained);
  }

  @Override
  public void onError(Throwable t) {
    Listener l;
    synchronized (this) {
      closed = true;
      queue.clear();
      queuedBytes = 0;
      l = listener;
    }
    if (l != null) {
      l.onClientWriteFailed(t);
    }
  }

  /**
   * Writes while the container accepts. Returns true when the queue emptied after the upstream had been
   * held back, so capacity can be granted again.
   */
  private boolean drainLocked() {
    if (closed || !listenerRegistered) {
      return false;
    }
    try {
      while (out.isReady()) {
        // Ready again means the previous write completed, and the container no longer reads its array.
        recycle(inContainer);
        inContainer = null;
        Chunk chunk = queue.poll();
        if (chunk != null) {
          ByteBuffer bytes = chunk.bytes();
          queuedBytes -= chunk.length();
          inContainer = chunk.reusable() ? bytes.array() : null;
          out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
          lastWriteNanos = System.nanoTime();
          continue;
        }
        if (flushPending) {
          flushPending = false;
          out.flush();
          continue;
        }
        if (completeRequested) {
          closed = true;
          asyncContext.complete();
        }
        break;
      }
    } catch (IOException | IllegalStateException e) {
      // Reported by afterDrain, outside this monitor, because the listener re-enters the exchange.
      closed = true;
      queue.clear();
      queuedBytes = 0;
      failure = e;
      return false;
    }
    if (starved && queuedBytes < currentHighWaterMark() / 2) {
      starved = false;
      return true;
    }
    return false;
  }

  private int currentHighWaterMark() {
    return acceptedBytes >= BULK_AFTER_BYTES ? Math.max(highWaterMark, BULK_HIGH_WATER_MARK) : highWaterMark;
  }

  private void afterDrain(boolean drained) {
    Listener l;
    Throwable failed = null;
    synchronized (this) {
      l = listener;
      if (failure != null && !failureReported) {
        failureReported = true;
        failed = failure;
      }
    }
    if (l == null) {
      return;
    }
    if (failed != null) {
      l.onClientWriteFailed(failed);
    } else if (drained) {
      l.onClientDrained();
    }
  }
}
