package dev.llmproxy.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * One step of a scripted server-sent-event stream played by {@link FakeUpstream}.
 *
 * <p>Steps run in order. Sending, sleeping and waiting never hold a server thread: writes are non-blocking, sleeps use
 * a timer and latch waits run on a separate waiter pool. Immutable.
 */
public sealed interface SseStep {

  /** Writes {@code text} exactly as given, then flushes it to the network. */
  record Send(String text) implements SseStep {
    public Send {
      Objects.requireNonNull(text, "text");
    }

    byte[] bytes() {
      return text.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Waits until {@code latch} reaches zero; the fake's {@code close()} ends the wait and the stream. */
  record Await(CountDownLatch latch) implements SseStep {
    public Await {
      Objects.requireNonNull(latch, "latch");
    }
  }

  /** Pauses the stream without writing. */
  record Sleep(Duration duration) implements SseStep {
    public Sleep {
      Objects.requireNonNull(duration, "duration");
    }
  }

  /** Closes the connection at once, without ending the chunked body: the client sees a truncated stream. */
  record Abort() implements SseStep {}

  /** Writes nothing more and never completes; the stream ends only when the client or the fake closes it. */
  record Stall() implements SseStep {}

  /** Sends raw text such as {@code "data: x\n\n"} or a comment line {@code ": keepalive\n\n"}. */
  static SseStep send(String text) {
    return new Send(text);
  }

  /** Sends one event whose only field is {@code data}. */
  static SseStep data(String data) {
    return new Send("data: " + data + "\n\n");
  }

  /** Sends one named event. */
  static SseStep event(String name, String data) {
    return new Send("event: " + name + "\ndata: " + data + "\n\n");
  }

  /** Sends a {@code chat.completion.chunk} event carrying {@code content}. */
  static SseStep chunk(String model, String content) {
    return data(OpenAiBodies.chatCompletionChunk(model, content, null));
  }

  /** Sends the final {@code chat.completion.chunk} with an empty delta and {@code finish_reason: stop}. */
  static SseStep finish(String model) {
    return data(OpenAiBodies.chatCompletionChunk(model, null, "stop"));
  }

  /** Sends {@code data: [DONE]}, the OpenAI end-of-stream marker. */
  static SseStep done() {
    return data("[DONE]");
  }

  /** Waits for {@code latch}; see {@link Await}. */
  static SseStep await(CountDownLatch latch) {
    return new Await(latch);
  }

  /** Pauses; see {@link Sleep}. */
  static SseStep sleep(Duration duration) {
    return new Sleep(duration);
  }

  /** Cuts the connection mid-stream; see {@link Abort}. */
  static SseStep abort() {
    return new Abort();
  }

  /** Stops writing forever; see {@link Stall}. */
  static SseStep stall() {
    return new Stall();
  }
}
