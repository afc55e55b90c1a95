package dev.llmproxy.relay;

import dev.llmproxy.config.StreamingConfig;
import dev.llmproxy.stream.ClientResponseWriter;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Writes a harmless frame into a response that has been silent for a while, for two reasons:
 * <ul>
 *   <li>a started stream ({@link #forStream}) gets its dialect's keep-alive frame (an SSE comment
 *       {@code : keep-alive}, Anthropic's {@code ping} event...) every {@code streaming.keepalive-seconds}
 *       when configured (so load balancers keep the connection during long reasoning pauses), else the
 *       cheapest frame the client ignores every {@value #DEFAULT_SECONDS} s. Containers only
 *       notice a departed client when a write fails, so without this a client leaving during a long
 *       upstream silence would hold the upstream exchange until the read timeout;</li>
 *   <li>a pending non-streaming answer ({@link #forPendingAnswer}, {@code nonstream-keepalive-interval},
 *       CLIProxyAPI's setting) gets a newline: proxies in front often close a connection silent for a
 *       minute, and a reasoning model can take several. JSON parsers skip leading whitespace; the first
 *       newline commits the response head, and since only whitespace went out, failover goes on unseen
 *       (an answer that ends in an error then arrives with status 200 and the error body).</li>
 * </ul>
 * One per response; runs on the shared scheduler and writes under the exchange's lock.
 */
final class SilenceProbe {
  static final int DEFAULT_SECONDS = 10;
  private static final byte[] NEWLINE = {'\n'};
  /** Fires a little early rather than a whole period late when a write happened just before a tick. */
  private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final ScheduledFuture<?> task;

  private SilenceProbe(ScheduledFuture<?> task) {
    this.task = task;
  }

  /**
   * Probes a started stream.
   *
   * @param frame the client dialect's keep-alive frame, by whether a keep-alive is configured
   * @param lock the exchange lock, held while checking and writing
   * @param streamOpen whether the stream still accepts writes; evaluated under {@code lock}
   */
  static SilenceProbe forStream(ScheduledExecutorService scheduler, StreamingConfig streaming,
      Function<Boolean, byte[]> frame, Object lock, ClientResponseWriter writer, BooleanSupplier streamOpen) {
    boolean keepalive = streaming.keepaliveSeconds() > 0;
    int seconds = keepalive ? streaming.keepaliveSeconds() : DEFAULT_SECONDS;
    return start(scheduler, TimeUnit.SECONDS.toMillis(seconds), frame.apply(keepalive), lock, writer, streamOpen,
        () -> { });
  }

  /**
   * Pads a pending non-streaming answer with newlines.
   *
   * @param lock the exchange lock, held while checking and writing
   * @param pending whether the answer is still awaited; evaluated under {@code lock}
   * @param commitHead commits status 200 and the JSON content type, once; called under {@code lock}
   */
  static SilenceProbe forPendingAnswer(ScheduledExecutorService scheduler, Duration interval, Object lock,
      ClientResponseWriter writer, BooleanSupplier pending, Runnable commitHead) {
    return start(scheduler, interval.toMillis(), NEWLINE, lock, writer, pending, commitHead);
  }

  private static SilenceProbe start(ScheduledExecutorService scheduler, long periodMillis, byte[] frame,
      Object lock, ClientResponseWriter writer, BooleanSupplier active, Runnable beforeWrite) {
    long silenceNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis) - SLACK_NANOS;
    Runnable probe = () -> {
      synchronized (lock) {
        if (active.getAsBoolean() && System.nanoTime() - writer.lastWriteNanos() >= silenceNanos) {
          beforeWrite.run();
          writer.write(frame, true);
        }
      }
    };
    return new SilenceProbe(scheduler.scheduleWithFixedDelay(probe, periodMillis, periodMillis, TimeUnit.MILLISECONDS));
  }

  void cancel() {
    task.cancel(false);
  }
}
