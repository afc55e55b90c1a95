package dev.llmproxy.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a server-sent-event response one event at a time, so a test can assert that it received event 1 while the
 * upstream still holds event 2.
 *
 * <p>Every read has a timeout, so a gateway that buffers a stream fails the test instead of hanging it. Reads happen on
 * one daemon thread owned by this object. Closing it closes the body, which is how a test simulates a client that
 * disconnects mid-stream. Not thread-safe: one test thread reads.
 *
 * <pre>{@code
 * HttpResponse<InputStream> response = http.send(request, BodyHandlers.ofInputStream());
 * try (SseEvents events = SseEvents.of(response)) {
 *   assertEquals("Hello", events.next().deltaContent());
 *   release.countDown();
 *   ...
 * }
 * }</pre>
 */
public final class SseEvents implements AutoCloseable {

  /** The timeout of {@link #next()}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final BufferedReader reader;
  private final InputStream body;
  private final ExecutorService readerThread =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "sse-events-reader");
            thread.setDaemon(true);
            return thread;
          });
  private Future<Optional<SseEvent>> pendingRead;

  /** Reads events from {@code body}, which this object then owns. */
  public SseEvents(InputStream body) {
    this.body = body;
    this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /** Reads the body of {@code response}. */
  public static SseEvents of(HttpResponse<InputStream> response) {
    return new SseEvents(response.body());
  }

  /**
   * The next event, waiting up to {@link #DEFAULT_TIMEOUT}.
   *
   * @throws AssertionError when the stream ends or no event arrives in time
   */
  public SseEvent next() {
    return next(DEFAULT_TIMEOUT);
  }

  /**
   * The next event, waiting up to {@code timeout}.
   *
   * @throws AssertionError when the stream ends or no event arrives in time
   */
  public SseEvent next(Duration timeout) {
    return nextOrEnd(timeout).orElseThrow(() -> new AssertionError("the event stream ended"));
  }

  /**
   * The next event, or empty when the stream ended cleanly.
   *
   * @throws AssertionError when nothing arrives within {@code timeout}
   * @throws UncheckedIOException when the stream breaks, for example when the server cuts the connection
   */
  public Optional<SseEvent> nextOrEnd(Duration timeout) {
    if (pendingRead == null) {
      pendingRead = readerThread.submit(this::read);
    }
    try {
      Optional<SseEvent> event = pendingRead.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      pendingRead = null;
      return event;
    } catch (TimeoutException e) {
      // A blocked stream read cannot be interrupted; the next call picks up this read's result.
      throw new AssertionError("no server-sent event within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a server-sent event", e);
    } catch (ExecutionException e) {
      pendingRead = null;
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Reads every remaining event until the stream ends.
   *
   * @throws AssertionError when the stream does not end within {@code timeout}
   */
  public List<SseEvent> remaining(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<SseEvent> events = new ArrayList<>();
    Optional<SseEvent> event;
    while ((event = nextOrEnd(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))).isPresent()) {
      events.add(event.get());
    }
    return events;
  }

  /** Closes the response body (disconnecting the client if the stream is still open) and the reader thread. */
  @Override
  public void close() {
    readerThread.shutdownNow();
    try {
      body.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses lines until a blank line ends an event that has data; comment-only blocks are kept for the next one. */
  private Optional<SseEvent> read() throws IOException {
    String event = null;
    String id = null;
    StringBuilder data = null;
    List<String> comments = new ArrayList<>();
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return Optional.of(new SseEvent(event, data.toString(), id, comments));
        }
        event = null;
        continue;
      }
      if (line.startsWith(":")) {
        comments.add(line.substring(1).strip());
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        case "event" -> event = value;
        case "id" -> id = value;
        default -> {
          // "retry" and unknown fields do not matter to these tests.
        }
      }
    }
    return Optional.empty();
  }
}
