package dev.llmproxy.bench;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * How long one thread takes to wake another on this machine, measured before anything else starts: a
 * request crosses threads several times (container poller and workers, the upstream client's reactor, the
 * upstream's own threads), and on a virtual machine whose idle cores sleep, a rare wake-up takes milliseconds
 * instead of microseconds. The c=1 tails are read against it. Not thread-safe; one run per instance.
 */
final class HandOffLatency {
  private static final int WAKE_UPS = 20_000;
  private static final int UNMEASURED = 2_000;
  /** Idle time before each wake-up, about a c=1 request's: long enough for the other core to go idle. */
  private static final long IDLE_NANOS = 100_000;

  private volatile long sentAt;
  private volatile long latency = -1;

  /** Wake-up latency percentiles in µs: p50, p99, p99.9, max. */
  record Result(double p50, double p99, double p999, double max) {
    String describe() {
      return String.format("p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs", p50, p99, p999, max);
    }
  }

  Result measure() {
    Thread woken = new Thread(this::wakeUps, "bench-hand-off");
    woken.setDaemon(true);
    woken.start();
    long[] nanos = new long[WAKE_UPS];
    for (int i = -UNMEASURED; i < WAKE_UPS; i++) {
      LockSupport.parkNanos(IDLE_NANOS);
      latency = -1;
      sentAt = System.nanoTime();
      LockSupport.unpark(woken);
      while (latency < 0) {
        Thread.onSpinWait();
      }
      if (i >= 0) {
        nanos[i] = latency;
      }
    }
    woken.interrupt();
    Arrays.sort(nanos);
    return new Result(micros(nanos, 0.50), micros(nanos, 0.99), micros(nanos, 0.999), nanos[WAKE_UPS - 1] / 1e3);
  }

  private static double micros(long[] sorted, double p) {
    return sorted[(int) Math.ceil(p * sorted.length) - 1] / 1e3;
  }

  private void wakeUps() {
    long seen = 0;
    while (!Thread.currentThread().isInterrupted()) {
      LockSupport.park(this);
      long sent = sentAt;
      if (sent != seen) {
        latency = System.nanoTime() - sent;
        seen = sent;
      }
    }
  }
}
