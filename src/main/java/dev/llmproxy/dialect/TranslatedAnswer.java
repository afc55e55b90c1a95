package dev.llmproxy.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.stream.SseFrameBatch;
import dev.llmproxy.stream.SseFrames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * An upstream chat-completions answer turned into another dialect's by its translators: the whole body by
 * {@code bodyTranslator}, a stream chunk by chunk by a {@link StreamTranslator}, framed by an
 * {@link EventFraming}. Each chunk is parsed into a tree once (about 3 µs of the ~4 µs a chunk costs). One per
 * attempt; not thread-safe.
 */
public final class TranslatedAnswer implements Answer {
  private static final ObjectMapper JSON = WebappJson.newMapper();

  private final Function<JsonNode, byte[]> bodyTranslator;
  private final StreamTranslator stream;
  private final EventFraming framing;
  private final byte[] keepAlive;
  private final byte[] probe;

  /** An answer framed as server-sent events; an empty SSE comment probes a silent stream. */
  public TranslatedAnswer(Function<JsonNode, byte[]> bodyTranslator, StreamTranslator stream, EventFraming framing,
      byte[] keepAlive) {
    this(bodyTranslator, stream, framing, keepAlive, SseFrames.PROBE);
  }

  /**
   * @param keepAlive the dialect's visible keep-alive frame ({@code event: ping} for Anthropic clients), for
   *     when {@code streaming.keepalive-seconds} is set
   * @param probe the cheapest frame the client ignores, for the gateway's own checks that the client is still
   *     there
   */
  public TranslatedAnswer(Function<JsonNode, byte[]> bodyTranslator, StreamTranslator stream, EventFraming framing,
      byte[] keepAlive, byte[] probe) {
    this.bodyTranslator = bodyTranslator;
    this.stream = stream;
    this.framing = framing;
    this.keepAlive = keepAlive;
    this.probe = probe;
  }

  @Override
  public byte[] body(byte[] upstreamBody) {
    JsonNode completion;
    try {
      completion = JSON.readTree(upstreamBody);
    } catch (IOException e) {
      throw new UncheckedIOException("the upstream answer is not JSON", e);
    }
    // A 200 carrying an error object (some servers do that) has no choice to translate: broken, never an empty
    // success in the client's dialect.
    if (completion == null || !completion.path("choices").path(0).isObject()) {
      throw new IllegalArgumentException("the upstream completion has no choice");
    }
    return bodyTranslator.apply(completion);
  }

  @Override
  public String bodyContentType(String upstreamContentType) {
    return "application/json";
  }

  @Override
  public boolean relaysLargeBodies() {
    return false;
  }

  @Override
  public String streamContentType() {
    return framing.contentType();
  }

  @Override
  public void onEvent(SseEvent event, SseFrameBatch out) {
    JsonNode chunk;
    try {
      chunk = event.readJson(JSON);
    } catch (IOException e) {
      throw new UncheckedIOException("an upstream event is not JSON", e);
    }
    stream.onChunk(chunk, (name, json) -> framing.add(name, json, out));
  }

  @Override
  public long keptChars() {
    return stream.keptChars();
  }

  @Override
  public void onDone(SseFrameBatch out) {
    // The translator ends the client's stream in onEnd, with the usage that may still follow.
  }

  @Override
  public void onComment(SseFrameBatch out) {
    out.add(keepAlive);
  }

  @Override
  public void onEnd(SseFrameBatch out) {
    stream.onEnd((name, json) -> framing.add(name, json, out));
    framing.end(out);
  }

  @Override
  public void onFailure(ClientError error, SseFrameBatch out) {
    stream.onFailure(error.status(), error.message(), (name, json) -> framing.add(name, json, out));
    framing.end(out);
  }

  @Override
  public byte[] keepAlive(boolean configured) {
    return configured ? keepAlive : probe;
  }
}
