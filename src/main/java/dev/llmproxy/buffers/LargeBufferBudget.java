package dev.llmproxy.buffers;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide allowance for large buffers: request bodies being read, held upstream answers, SSE
 * events being parsed and framed. Admission ({@code max-open-requests}) is sized for requests of a few
 * hundred KiB, yet one request within its own limits may hold 16-48 MB; a dozen such at once ran a 512 MB
 * heap out of memory on an HttpClient reactor thread, which killed that upstream's client for good. Each
 * buffer growing past {@link #THRESHOLD} reserves its growth here first ({@link BufferAccount}); what does
 * not fit fails that one exchange instead of the process.
 *
 * <p>Sized at a third of the heap ({@link #forHeap}): the rest is left for what the budget does not see
 * (buffers under the threshold, the copies a translated answer makes, the container, the garbage of the previous
 * collection cycle). Measured in a Tomcat at {@code -Xmx300m}: a third lets one 27.7 MB request body through
 * (read, parsed and translated, some 90 MB) and two or three streams of one 15 MB event at once, without an
 * {@code OutOfMemoryError}; with a quarter (75 MB) no such body could ever fit. Thread-safe, lock-free.
 */
public final class LargeBufferBudget {
  /** Buffers up to this size are not counted: admission already budgets for them. */
  public static final int THRESHOLD = 1024 * 1024;
  /** The share of the maximum heap large buffers may take together: a third. */
  static final int HEAP_FRACTION = 3;

  private final long capacity;
  private final AtomicLong reserved = new AtomicLong();

  public LargeBufferBudget(long capacity) {
    this.capacity = capacity;
  }

  /** A budget of a third of {@link Runtime#maxMemory()}. */
  public static LargeBufferBudget forHeap() {
    return new LargeBufferBudget(Runtime.getRuntime().maxMemory() / HEAP_FRACTION);
  }

  /** A fresh account for one exchange; close it when the exchange ends. */
  public BufferAccount newAccount() {
    return new BufferAccount(this);
  }

  /** Takes {@code bytes} if they fit, all or nothing. */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = reserved.get();
      if (now + bytes > capacity) {
        return false;
      }
      if (reserved.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    reserved.addAndGet(-bytes);
  }

  /** Bytes reserved now (for metrics). */
  public long reserved() {
    return reserved.get();
  }

  public long capacity() {
    return capacity;
  }
}
