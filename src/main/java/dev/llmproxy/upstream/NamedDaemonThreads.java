package dev.llmproxy.upstream;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names reactor threads so thread dumps and leak checks can tell the gateway's own threads apart. */
final class NamedDaemonThreads implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger counter = new AtomicInteger();

  NamedDaemonThreads(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, prefix + "-" + counter.incrementAndGet());
    t.setDaemon(true);
    return t;
  }
}
