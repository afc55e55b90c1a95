package dev.llmproxy.dialect;

import dev.llmproxy.stream.SseFrameBatch;
import java.nio.charset.StandardCharsets;

/**
 * A stream of JSON objects framed as the elements of one JSON array, written as they come: {@code [} with the
 * first, {@code ,} before each next one, {@code ]} at the end (Gemini's {@code streamGenerateContent} without
 * {@code alt=sse}). One per response; not thread-safe.
 */
public final class JsonArrayFraming implements EventFraming {
  private static final byte[] OPEN = "[".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NEXT = ",\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLOSE = "]".getBytes(StandardCharsets.US_ASCII);
  /** Whitespace, which JSON allows between elements: the probe and keep-alive of such a stream. */
  public static final byte[] WHITESPACE = "\n".getBytes(StandardCharsets.US_ASCII);

  private boolean opened;
  private boolean closed;

  @Override
  public String contentType() {
    return "application/json";
  }

  @Override
  public void add(String name, byte[] json, SseFrameBatch out) {
    out.add(opened ? NEXT : OPEN);
    opened = true;
    out.add(json);
  }

  @Override
  public void end(SseFrameBatch out) {
    if (closed) {
      return;
    }
    closed = true;
    out.add(opened ? CLOSE : "[]".getBytes(StandardCharsets.US_ASCII));
  }
}
