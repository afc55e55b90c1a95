package dev.llmproxy.buffers;

/**
 * A large buffer could not grow: the gateway's {@link LargeBufferBudget} is spent by other exchanges (or this
 * exchange has ended). The one exchange fails cleanly; the client may retry once the others are done.
 */
public final class BufferBudgetExceededException extends RuntimeException {
  public BufferBudgetExceededException(long bytes) {
    super("the gateway's budget for large buffers cannot take " + bytes + " more bytes now", null, false, false);
  }
}
