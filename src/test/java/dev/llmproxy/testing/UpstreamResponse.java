package dev.llmproxy.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * What {@link FakeUpstream} does with one request; a {@link FakeUpstream.Responder} returns one per request.
 *
 * <p>Immutable (apart from the latches a scripted stream may hold). Build instances with the static factories.
 */
public sealed interface UpstreamResponse {

  /** A complete response with a body and a {@code Content-Length}. */
  record Fixed(int status, Map<String, String> headers, byte[] body) implements UpstreamResponse {
    public Fixed {
      headers = Map.copyOf(headers);
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Fixed that
          && status == that.status
          && headers.equals(that.headers)
          && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
      return Objects.hash(status, headers) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
      return "Fixed[" + status + ", " + headers + ", " + new String(body, StandardCharsets.UTF_8) + "]";
    }
  }

  /** A {@code text/event-stream} response: headers are flushed at once, then the steps run in order. */
  record Sse(int status, Map<String, String> headers, List<SseStep> steps) implements UpstreamResponse {
    public Sse {
      headers = Map.copyOf(headers);
      steps = List.copyOf(steps);
    }
  }

  /**
   * A long stream for load tests: {@code chunks} chunk events of {@code chunkBytes} content characters, one every
   * {@code interval}, then {@code data: [DONE]}. Costs no thread while it waits.
   */
  record Paced(String model, int chunks, Duration interval, int chunkBytes) implements UpstreamResponse {
    public Paced {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(interval, "interval");
      if (chunks < 0 || chunkBytes < 0 || interval.isNegative()) {
        throw new IllegalArgumentException("chunks, interval and chunkBytes must not be negative");
      }
    }

    /**
     * Whether the {@code data:} lines a client received through the gateway are this stream whole: every
     * chunk with its full content, in order, then the finishing chunk and {@code [DONE]}.
     */
    public static boolean arrivedWhole(List<String> dataLines, int chunks, int chunkBytes) {
      String content = "\"content\":\"" + "x".repeat(chunkBytes) + "\"";
      return dataLines.size() == chunks + 2 && dataLines.get(dataLines.size() - 1).equals("data: [DONE]")
          && dataLines.subList(0, chunks).stream().allMatch(l -> l.contains(content));
    }
  }

  /** Waits {@code delay} without holding a thread, then behaves like {@code then}. */
  record Delayed(Duration delay, UpstreamResponse then) implements UpstreamResponse {
    public Delayed {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(then, "then");
    }
  }

  /**
   * Accepts the request and never sends a status line; ends when the client or the fake closes. Counted in {@link
   * StreamStats}, so a test can see the gateway give up on it.
   */
  record StallBeforeHeaders() implements UpstreamResponse {}

  /**
   * Closes the connection after reading the request, without sending a byte; with {@code reset}, as a TCP reset
   * (what a client sees when its request reaches a connection the server had already closed).
   */
  record CloseWithoutResponse(boolean reset) implements UpstreamResponse {}

  /**
   * Resets the request's HTTP/2 stream with REFUSED_STREAM, without a byte of response: the server did not process
   * the request. The connection stays open for other streams. HTTP/2 requests only.
   */
  record RefuseStream() implements UpstreamResponse {}

  /**
   * A JSON response.
   *
   * @param headers extra headers as name, value pairs, for example {@code "Retry-After", "3"}
   */
  static UpstreamResponse json(int status, String body, String... headers) {
    Map<String, String> all = pairs(headers);
    all.putIfAbsent("Content-Type", "application/json");
    return new Fixed(status, all, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A 200 JSON response. */
  static UpstreamResponse json(String body) {
    return json(200, body);
  }

  /** A response with any content type, for upstreams that answer with HTML or plain text. */
  static UpstreamResponse text(int status, String contentType, String body, String... headers) {
    Map<String, String> all = pairs(headers);
    all.put("Content-Type", contentType);
    return new Fixed(status, all, body.getBytes(StandardCharsets.UTF_8));
  }

  /** An OpenAI-shaped error; {@code type} is for example {@code invalid_request_error} or {@code server_error}. */
  static UpstreamResponse error(int status, String type, String message) {
    return json(status, OpenAiBodies.error(type, message, null));
  }

  /** A 429 with an OpenAI {@code rate_limit_exceeded} body and no {@code Retry-After}. */
  static UpstreamResponse rateLimited() {
    return json(429, rateLimitBody());
  }

  /** A 429 with an OpenAI body and {@code Retry-After} in whole seconds (rounded up). */
  static UpstreamResponse rateLimited(Duration retryAfter) {
    long seconds = (retryAfter.toMillis() + 999) / 1000;
    return json(429, rateLimitBody(), "Retry-After", Long.toString(seconds));
  }

  /** A 200 event stream playing {@code steps}. */
  static UpstreamResponse sse(List<SseStep> steps) {
    return new Sse(200, Map.of(), steps);
  }

  /** A 200 event stream playing {@code steps}. */
  static UpstreamResponse sse(SseStep... steps) {
    return sse(List.of(steps));
  }

  /**
   * A stream of {@code "one"}, {@code " two"}, {@code " three"} that then waits for {@code clientLeft} and goes on with
   * {@code " more"} every 100 ms (20 times, no usage, no [DONE]): its writes let the gateway find the client gone.
   */
  static UpstreamResponse threeChunksThenMoreAfter(CountDownLatch clientLeft) {
    List<SseStep> steps = new ArrayList<>(List.of(SseStep.chunk("m1", "one"), SseStep.chunk("m1", " two"),
        SseStep.chunk("m1", " three"), SseStep.await(clientLeft)));
    for (int i = 0; i < 20; i++) {
      steps.add(SseStep.sleep(Duration.ofMillis(100)));
      steps.add(SseStep.chunk("m1", " more"));
    }
    return sse(steps);
  }

  /** A paced stream for model {@code paced-model}; see {@link Paced}. */
  static UpstreamResponse pacedStream(int chunks, Duration interval, int chunkBytes) {
    return new Paced("paced-model", chunks, interval, chunkBytes);
  }

  /** A paced stream echoing {@code model}; see {@link Paced}. */
  static UpstreamResponse pacedStream(String model, int chunks, Duration interval, int chunkBytes) {
    return new Paced(model, chunks, interval, chunkBytes);
  }

  /** See {@link Delayed}. */
  static UpstreamResponse delayed(Duration delay, UpstreamResponse then) {
    return new Delayed(delay, then);
  }

  /** See {@link StallBeforeHeaders}. */
  static UpstreamResponse stallBeforeHeaders() {
    return new StallBeforeHeaders();
  }

  /** See {@link CloseWithoutResponse}. */
  static UpstreamResponse closeWithoutResponse() {
    return new CloseWithoutResponse(false);
  }

  /** See {@link CloseWithoutResponse}: the connection is reset rather than closed in order. */
  static UpstreamResponse resetWithoutResponse() {
    return new CloseWithoutResponse(true);
  }

  /** See {@link RefuseStream}. */
  static UpstreamResponse refuseStream() {
    return new RefuseStream();
  }

  private static String rateLimitBody() {
    return OpenAiBodies.error("requests", "Rate limit reached (fake upstream)", "rate_limit_exceeded");
  }

  private static Map<String, String> pairs(String... nameValues) {
    if (nameValues.length % 2 != 0) {
      throw new IllegalArgumentException("headers must be name, value pairs: " + Arrays.toString(nameValues));
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      map.put(nameValues[i], nameValues[i + 1]);
    }
    return map;
  }
}
