package dev.llmproxy.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The frames the gateway writes to clients besides relayed events: {@code [DONE]}, comments, its own errors. */
public final class SseFrames {
  public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  public static final byte[] KEEPALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
  /** An empty comment: ignored by every SSE client, it only checks that the client is still there. */
  public static final byte[] PROBE = ":\n\n".getBytes(StandardCharsets.US_ASCII);

  private SseFrames() {}

  /** One frame {@code [event: name\n]data: ...\n\n}; a payload with line breaks becomes several data lines. */
  public static byte[] encode(String name, byte[] payload) {
    SseFrameBatch batch = new SseFrameBatch();
    batch.add(name, payload);
    ByteBuffer frame = batch.take();
    return Arrays.copyOf(frame.array(), frame.limit());
  }
}
