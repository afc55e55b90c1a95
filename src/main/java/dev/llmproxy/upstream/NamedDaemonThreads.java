package dev.llmproxy.upstream;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names reactor threads so thread dumps and leak checks can tell the gateway's own threads apart, and
 * tells when one ends: a reactor thread that ends while its client is in use was killed (an {@code
 * OutOfMemoryError} there shuts the whole reactor down), and its client will never serve again.
 */
final class NamedDaemonThreads implements ThreadFactory {
  private final String prefix;
  private final Runnable onExit;
  private final AtomicInteger counter = new AtomicInteger();

  NamedDaemonThreads(String prefix) {
    this(prefix, () -> { });
  }

  /** @param onExit runs on each thread made here as it ends, however it ends */
  NamedDaemonThreads(String prefix, Runnable onExit) {
    this.prefix = prefix;
    this.onExit = onExit;
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(() -> {
      try {
        r.run();
      } finally {
        onExit.run();
      }
    }, prefix + "-" + counter.incrementAndGet());
    t.setDaemon(true);
    return t;
  }
}
