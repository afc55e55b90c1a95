package dev.llmproxy.buffers;

/**
 * Charges one growing buffer to its exchange's {@link BufferAccount}: only the capacity past the largest
 * one charged before, and only once it exceeds {@link LargeBufferBudget#THRESHOLD}. A buffer that hands its
 * array away and grows again (a batch of SSE frames per upstream read) is thus charged its peak, not once
 * per read. Not thread-safe: used by the buffer's owner only.
 */
public final class BufferMeter {
  private final BufferAccount account;
  private long charged;

  BufferMeter(BufferAccount account) {
    this.account = account;
  }

  /**
   * Call before allocating an array of {@code capacity} bytes.
   *
   * @throws BufferBudgetExceededException when the growth does not fit the budget
   */
  public void ensure(long capacity) {
    if (capacity > LargeBufferBudget.THRESHOLD && capacity > charged) {
      account.reserve(capacity - charged);
      charged = capacity;
    }
  }
}
