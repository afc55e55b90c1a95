package dev.llmproxy.buffers;

/**
 * What one exchange reserved from the {@link LargeBufferBudget}, given back at once when the exchange ends
 * ({@link #close}), whatever the ending. Reservations only grow while the exchange runs: a buffer that
 * shrinks or is dropped keeps its share, which overstates what is live a little but needs no bookkeeping
 * on the hot path. Once closed, an account reserves nothing more (a late upstream read of an exchange
 * that already ended fails instead of holding memory no one will give back).
 *
 * <p>A reservation that does not fit closes the account, giving back all the exchange had: exchanges that
 * grow at the same time would otherwise each hold part of the budget and fail each other, all of them
 * (measured: twelve streams of one 15 MB event, every one failed). The exchange that gave up frees room
 * for the others to finish, and its later attempts fail at once rather than take room again. Thread-safe.
 */
public final class BufferAccount {
  private final LargeBufferBudget budget;
  // Guarded by this.
  private long reserved;
  private boolean closed;

  BufferAccount(LargeBufferBudget budget) {
    this.budget = budget;
  }

  /** An account with no limit, for buffers no exchange owns (tests, local replays). */
  public static BufferAccount unlimited() {
    return new LargeBufferBudget(Long.MAX_VALUE).newAccount();
  }

  /** A meter for one buffer of this exchange. */
  public BufferMeter newMeter() {
    return new BufferMeter(this);
  }

  /** @throws BufferBudgetExceededException when {@code bytes} do not fit, or the exchange has ended */
  void reserve(long bytes) {
    synchronized (this) {
      if (!closed && budget.tryReserve(bytes)) {
        reserved += bytes;
        return;
      }
    }
    close();
    throw new BufferBudgetExceededException(bytes);
  }

  /** Gives everything back; later calls do nothing. */
  public void close() {
    long bytes;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      bytes = reserved;
      reserved = 0;
    }
    budget.release(bytes);
  }

  synchronized long reserved() {
    return reserved;
  }
}
