package dev.llmproxy.relay;

import dev.llmproxy.stream.ClientResponseWriter;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Keeps a non-streaming request's connection busy while its answer is pending
 * ({@code nonstream-keepalive-interval}, CLIProxyAPI's setting): proxies and load balancers in front of
 * the gateway often close a connection that has been silent for a minute, and a reasoning model can take
 * several. The first tick commits the response head; each tick writes a newline, which JSON parsers
 * skip as leading whitespace. Only whitespace has been sent, so failover goes on unseen; an answer that
 * ends in an error then arrives with status 200 and the error body. One per request; runs on the shared
 * scheduler and writes under the exchange's lock.
 */
final class NonStreamPadding {
  private static final byte[] NEWLINE = {'\n'};

  private final ScheduledFuture<?> task;

  private NonStreamPadding(ScheduledFuture<?> task) {
    this.task = task;
  }

  /**
   * Starts padding.
   *
   * @param lock the exchange lock, held while checking and writing
   * @param pending whether the answer is still awaited; evaluated under {@code lock}
   * @param commitHead commits status 200 and the JSON content type, once; called under {@code lock}
   */
  static NonStreamPadding start(ScheduledExecutorService scheduler, Duration interval, Object lock,
      ClientResponseWriter writer, BooleanSupplier pending, Runnable commitHead) {
    Runnable tick = () -> {
      synchronized (lock) {
        if (pending.getAsBoolean()) {
          commitHead.run();
          writer.write(NEWLINE, true);
        }
      }
    };
    long millis = interval.toMillis();
    return new NonStreamPadding(scheduler.scheduleWithFixedDelay(tick, millis, millis, TimeUnit.MILLISECONDS));
  }

  void cancel() {
    task.cancel(false);
  }
}
