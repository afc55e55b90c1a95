package dev.llmproxy.stream;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Non-blocking writer to the client: queues chunks, writes only while {@link ServletOutputStream#isReady()}
 * is true and resumes in {@link #onWritePossible()}; completes the {@link AsyncContext} once the queue is
 * drained. No thread ever waits on the client.
 *
 * <p>Memory: what it holds is bounded whatever the upstream does. The upstream is normally held back
 * through {@link #freeSpace()} (flow control), but HttpClient grants an unlimited window when it is asked
 * for capacity before the response consumer is attached, so a fast upstream can outrun a client that does
 * not read. Beyond {@link #hardLimit()} the writer gives the client up, as if its connection had failed.
 *
 * <p>Threading: any thread may call {@link #write}, {@link #writeReusable} and {@link #complete}; the
 * container calls the {@link WriteListener} methods. State is guarded by this object's monitor, so one
 * thread writes at a time. Nothing is called out while the monitor is held: the {@link Listener} and
 * {@link AsyncContext#complete()} are called after it is released. Callers of {@code write} may hold their
 * own locks (the exchange writes events under its lock), so what a write discovers (the client is gone, the
 * queue drained) is reported to the listener through {@code notifier}, on another thread, never back into
 * the caller; what the container's own callbacks discover is reported on the container's thread.
 * {@link #complete} completes the {@code AsyncContext} on the calling thread, which must hold no lock.
 */
public final class ClientResponseWriter implements WriteListener {

  /** What the exchange learns from the client side. Called without any lock of the writer held. */
  public interface Listener {
    /** The queue drained below the low-water mark: the upstream may send more. */
    void onClientDrained();

    /** Writing failed, or the client fell too far behind: it is gone. */
    void onClientWriteFailed(Throwable cause);
  }

  /** The client read too slowly for an upstream that did not wait: the response was given up. */
  public static final class ClientTooSlowException extends IOException {
    ClientTooSlowException(long limit) {
      super("the client fell more than " + limit + " bytes behind");
    }
  }

  private final AsyncContext asyncContext;
  private final ServletOutputStream out;
  private final Executor notifier;
  /**
   * A response that has carried this much is a bulk transfer (a very long completion), not a token
   * stream, and may queue up to {@link #BULK_HIGH_WATER_MARK}. The queue limit is also how much the
   * upstream may have in flight (HTTP/2 window updates follow our capacity grants): at 64 KiB a fast
   * stream waited for a window update every 64 KiB (1 GiB relayed at ~0.65 GiB/s, with 1 MiB ~1.1).
   * Token streams never get there, so thousands of them stay at 64 KiB each even if clients stall.
   */
  static final long BULK_AFTER_BYTES = 1 << 20;
  static final int BULK_HIGH_WATER_MARK = 1 << 20;
  /**
   * How far past the high-water mark the queue may grow before the client is given up: room for what an
   * upstream has in flight when it is told to wait (an HTTP/2 window of 64 KiB, a read of up to 64 KiB).
   */
  static final int HARD_LIMIT_FACTOR = 4;

  private final int highWaterMark;
  /**
   * The most handed to the container between two flushes: its own response buffer. Tomcat writes a
   * larger write through at once, in 8 KiB socket writes, keeps the last partial piece (and the chunk
   * framing) back and then, because data is pending, registers the connection with its poller, which
   * calls {@link #onWritePossible} on another thread: one poller wake-up and two thread hand-offs per
   * upstream read (136,000 context switches per GiB). A write that fits its buffer, flushed, goes out
   * with nothing left pending, from the writing thread. {@link #CHUNK_FRAMING} is left free in that buffer
   * for HTTP/1.1's chunk framing, so a piece and its framing leave in one socket write, not two.
   */
  private final int maxUnflushed;
  /** A chunk's size line and its two CRLFs: 4 hex digits for a piece below 64 KiB, plus 4 bytes; 16 is ample. */
  static final int CHUNK_FRAMING = 16;
  /** Bytes written to the container since its last flush. */
  private int unflushed;
  private long acceptedBytes;
  /** The array of the last chunk handed to the container, until the container says it is done with it. */
  private byte[] inContainer;
  /** An array the container is done with, for the next batch of frames (saves allocating and zeroing it). */
  private byte[] spare;
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private Listener listener;
  private long queuedBytes;
  /** The longest chunk handed to this writer so far. */
  private long largestChunk;
  private boolean flushPending;
  private boolean completeRequested;
  private boolean closed;
  private boolean listenerRegistered;
  private boolean starved;
  private Throwable failure;
  private boolean failureReported;
  private long lastWriteNanos = System.nanoTime();

  /**
   * @param notifier runs listener calls that a write discovered (another thread than the writer's caller)
   */
  public ClientResponseWriter(AsyncContext asyncContext, ServletOutputStream out, int highWaterMark, Executor notifier) {
    this(asyncContext, out, highWaterMark, notifier, Integer.MAX_VALUE);
  }

  /**
   * @param notifier runs listener calls that a write discovered (another thread than the writer's caller)
   * @param containerBufferSize the response's buffer size ({@code getBufferSize()}): the most written between flushes
   */
  public ClientResponseWriter(AsyncContext asyncContext, ServletOutputStream out, int highWaterMark, Executor notifier,
      int containerBufferSize) {
    this.asyncContext = asyncContext;
    this.out = out;
    this.highWaterMark = highWaterMark;
    this.notifier = notifier;
    this.maxUnflushed = containerBufferSize == Integer.MAX_VALUE ? containerBufferSize
        : Math.max(1024, containerBufferSize - CHUNK_FRAMING);
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

  /** What a drain found, to act on once the monitor is released. */
  private enum Found { NOTHING, DRAINED, FAILED, COMPLETED }

  private void enqueue(Chunk chunk, boolean flush) {
    Found found;
    synchronized (this) {
      if (closed || completeRequested) {
        return;
      }
      // One chunk, however large, may always wait alone (its bytes exist already); what is bounded is
      // how much piles up behind a client that does not read.
      largestChunk = Math.max(largestChunk, chunk.length());
      if (queuedBytes > 0 && queuedBytes + chunk.length() > hardLimit()) {
        giveUpLocked(new ClientTooSlowException(hardLimit()));
        found = Found.FAILED;
      } else {
        queue.add(chunk);
        queuedBytes += chunk.length();
        acceptedBytes += chunk.length();
        flushPending |= flush;
        found = drainLocked();
      }
    }
    // The caller may hold its own locks: what this write found is reported on another thread.
    report(found, true);
  }

  /**
   * Completes the response after everything queued has been written. Idempotent. Call without holding
   * any lock: it may complete the {@link AsyncContext} on this thread.
   */
  public void complete() {
    Found found;
    synchronized (this) {
      if (closed || completeRequested) {
        return;
      }
      completeRequested = true;
      found = drainLocked();
    }
    report(found, false);
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

  /** Bytes queued and not yet handed to the container. */
  public synchronized long queuedBytes() {
    return queuedBytes;
  }

  /** Nanos timestamp of the last chunk handed to the container. */
  public synchronized long lastWriteNanos() {
    return lastWriteNanos;
  }

  @Override
  public void onWritePossible() {
    Found found;
    synchronized (this) {
      found = drainLocked();
    }
    report(found, false);
  }

  @Override
  public void onError(Throwable t) {
    Listener l;
    synchronized (this) {
      closed = true;
      queue.clear();
      queuedBytes = 0;
      failureReported = true;
      l = listener;
    }
    if (l != null) {
      l.onClientWriteFailed(t);
    }
  }

  /**
   * Writes while the container accepts. Reports {@link Found#DRAINED} when the queue emptied below half
   * after the upstream had been held back, so capacity can be granted again.
   */
  private Found drainLocked() {
    if (closed || !listenerRegistered) {
      return Found.NOTHING;
    }
    try {
      while (out.isReady()) {
        // Ready again means the previous write completed, and the container no longer reads its array.
        recycle(inContainer);
        inContainer = null;
        Chunk chunk = queue.peek();
        if (chunk != null && unflushed >= maxUnflushed) {
          flushContainer(); // the next piece would not fit the container's buffer
          continue;
        }
        if (chunk != null) {
          ByteBuffer bytes = chunk.bytes();
          int n = Math.min(bytes.remaining(), maxUnflushed - unflushed);
          out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
          bytes.position(bytes.position() + n);
          queuedBytes -= n;
          unflushed += n;
          if (!bytes.hasRemaining()) {
            queue.poll();
            inContainer = chunk.reusable() ? bytes.array() : null;
          }
          lastWriteNanos = System.nanoTime();
          continue;
        }
        if (flushPending) {
          flushPending = false;
          flushContainer();
          continue;
        }
        if (completeRequested) {
          closed = true;
          return Found.COMPLETED;
        }
        break;
      }
    } catch (IOException | IllegalStateException e) {
      giveUpLocked(e);
      return Found.FAILED;
    }
    if (starved && queuedBytes < currentHighWaterMark() / 2) {
      starved = false;
      return Found.DRAINED;
    }
    return Found.NOTHING;
  }

  private void flushContainer() throws IOException {
    unflushed = 0;
    out.flush();
  }

  private void giveUpLocked(Throwable cause) {
    closed = true;
    queue.clear();
    queuedBytes = 0;
    failure = cause;
  }

  private int currentHighWaterMark() {
    return acceptedBytes >= BULK_AFTER_BYTES ? Math.max(highWaterMark, BULK_HIGH_WATER_MARK) : highWaterMark;
  }

  /**
   * The most this writer holds for one response before it gives the client up: room past the high-water mark for
   * what the upstream has in flight, and for two of the largest chunks seen. One translated event may be many times
   * an upstream read (a 15 MB event, or the four closing events of a Responses stream that each repeat the whole
   * text), and the next chunk arriving while a client that reads well still drains it is no sign of a client that
   * does not.
   */
  synchronized long hardLimit() {
    return (long) currentHighWaterMark() * HARD_LIMIT_FACTOR + 2L * largestChunk;
  }

  /** Acts on what a drain found; never called with the monitor held. */
  private void report(Found found, boolean fromCaller) {
    switch (found) {
      case COMPLETED -> {
        try {
          asyncContext.complete();
        } catch (IllegalStateException alreadyOver) {
          // the container completed it (the client left meanwhile)
        }
      }
      case FAILED -> {
        Listener l;
        Throwable t;
        synchronized (this) {
          if (failureReported) {
            return;
          }
          failureReported = true;
          l = listener;
          t = failure;
        }
        if (l != null) {
          notify(() -> l.onClientWriteFailed(t), fromCaller);
        }
      }
      case DRAINED -> {
        Listener l;
        synchronized (this) {
          l = listener;
        }
        if (l != null) {
          notify(l::onClientDrained, fromCaller);
        }
      }
      case NOTHING -> { }
    }
  }

  private void notify(Runnable call, boolean fromCaller) {
    if (!fromCaller) {
      call.run();
      return;
    }
    try {
      notifier.execute(call);
    } catch (RejectedExecutionException stopping) {
      call.run(); // the webapp is stopping: better on this thread than never
    }
  }
}
