package dev.llmproxy.stream;

import java.nio.charset.StandardCharsets;

/** Encodes events the way the gateway writes them to clients: {@code [event: name\n]data: ...\n\n}. */
public final class SseFrames {
  public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  public static final byte[] KEEPALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
  /** An empty comment: ignored by every SSE client, it only checks that the client is still there. */
  public static final byte[] PROBE = ":\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);

  private SseFrames() {}

  /** One frame for an event; a payload with line breaks becomes several {@code data:} lines. */
  public static byte[] encode(SseEvent event) {
    return encode(event.name(), event.data());
  }

  public static byte[] encode(String name, byte[] payload) {
    byte[] nameBytes = name == null ? null : name.getBytes(StandardCharsets.UTF_8);
    int newlines = 0;
    for (int i = ByteScan.indexOf(payload, 0, payload.length, (byte) '\n'); i >= 0;
        i = ByteScan.indexOf(payload, i + 1, payload.length, (byte) '\n')) {
      newlines++;
    }
    int size = (nameBytes == null ? 0 : EVENT.length + nameBytes.length + 1)
        + DATA.length * (newlines + 1) + payload.length + 2;
    byte[] out = new byte[size];
    int pos = 0;
    if (nameBytes != null) {
      pos = put(out, pos, EVENT);
      pos = put(out, pos, nameBytes);
      out[pos++] = '\n';
    }
    pos = put(out, pos, DATA);
    if (newlines == 0) {
      // The usual case (one-line JSON): one bulk copy instead of a per-byte loop.
      System.arraycopy(payload, 0, out, pos, payload.length);
      out[size - 2] = '\n';
      out[size - 1] = '\n';
      return out;
    }
    for (byte b : payload) {
      out[pos++] = b;
      if (b == '\n') {
        pos = put(out, pos, DATA);
      }
    }
    out[pos++] = '\n';
    out[pos] = '\n';
    return out;
  }

  private static int put(byte[] out, int pos, byte[] src) {
    System.arraycopy(src, 0, out, pos, src.length);
    return pos + src.length;
  }
}
