package dev.llmproxy.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the deferred parts of {@link FakeUpstream}'s streams off the server's threads.
 *
 * <p>Timed work shares a small scheduled pool, so thousands of paced streams cost no thread each. Latch waits need a
 * blocked thread, so they run on a separate cached pool; scripted tests have few of them. Owned by one
 * {@link FakeUpstream}, which closes it; thread-safe.
 */
final class StreamScheduler implements AutoCloseable {

  private final ScheduledExecutorService timer;
  private final ExecutorService waiters;

  StreamScheduler() {
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            Math.max(1, Runtime.getRuntime().availableProcessors()), daemonThreads("fake-upstream-timer"));
    pool.setRemoveOnCancelPolicy(true);
    this.timer = pool;
    this.waiters = Executors.newCachedThreadPool(daemonThreads("fake-upstream-await"));
  }

  /** Runs {@code task} after {@code delay}; silently drops it once closed. */
  void schedule(Runnable task, Duration delay) {
    try {
      timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      // The fake is shutting down; the stream dies with its connection.
    }
  }

  /** Runs {@code task} once {@code latch} opens; never runs it if the scheduler closes first. */
  void afterLatch(CountDownLatch latch, Runnable task) {
    try {
      waiters.execute(
          () -> {
            try {
              latch.await();
            } catch (InterruptedException closing) {
              return;
            }
            task.run();
          });
    } catch (RejectedExecutionException closed) {
      // As above.
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    waiters.shutdownNow();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
