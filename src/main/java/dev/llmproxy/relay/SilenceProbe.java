package dev.llmproxy.relay;

import dev.llmproxy.config.StreamingConfig;
import dev.llmproxy.stream.ClientResponseWriter;
import dev.llmproxy.stream.SseFrames;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Writes an SSE comment into a started stream that has been silent for a while: {@code : keep-alive}
 * every {@code streaming.keepalive-seconds} when configured (so load balancers keep the connection
 * during long reasoning pauses), else an empty comment every {@value #DEFAULT_SECONDS} s. Containers
 * only notice a departed client when a write fails, so without this a client leaving during a long
 * upstream silence would hold the upstream exchange until the read timeout. One per stream; runs on
 * the shared scheduler and writes under the exchange's lock.
 */
final class SilenceProbe {
  static final int DEFAULT_SECONDS = 10;
  /** Fires a little early rather than a whole period late when a write happened just before a tick. */
  private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final ScheduledFuture<?> task;

  private SilenceProbe(ScheduledFuture<?> task) {
    this.task = task;
  }

  /**
   * Starts probing.
   *
   * @param lock the exchange lock, held while checking and writing
   * @param streamOpen whether the stream still accepts writes; evaluated under {@code lock}
   */
  static SilenceProbe start(ScheduledExecutorService scheduler, StreamingConfig streaming, Object lock,
      ClientResponseWriter writer, BooleanSupplier streamOpen) {
    boolean keepalive = streaming.keepaliveSeconds() > 0;
    int seconds = keepalive ? streaming.keepaliveSeconds() : DEFAULT_SECONDS;
    byte[] frame = keepalive ? SseFrames.KEEPALIVE : SseFrames.PROBE;
    long silenceNanos = TimeUnit.SECONDS.toNanos(seconds) - SLACK_NANOS;
    Runnable probe = () -> {
      synchronized (lock) {
        if (streamOpen.getAsBoolean() && System.nanoTime() - writer.lastWriteNanos() >= silenceNanos) {
          writer.write(frame, true);
        }
      }
    };
    return new SilenceProbe(scheduler.scheduleWithFixedDelay(probe, seconds, seconds, TimeUnit.SECONDS));
  }

  void cancel() {
    task.cancel(false);
  }
}
