package dev.llmproxy.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP/1.1 response as a {@link RawClient} received it, read to the end of the connection: its status,
 * one header at a time, the body with any chunked framing removed, and whether the response arrived whole
 * (every chunk up to the last one, or as many bytes as {@code Content-Length} declared). A response cut
 * short parses too, so a test can say what was missing. Immutable.
 */
public final class RawResponse {
  private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

  private final int status;
  private final String head;
  private final String body;
  private final boolean complete;

  private RawResponse(int status, String head, String body, boolean complete) {
    this.status = status;
    this.head = head;
    this.body = body;
    this.complete = complete;
  }

  /**
   * Parses what arrived. Without a complete head the status is 0; a body without {@code Content-Length}
   * or chunked framing ends with the connection and counts as complete.
   */
  public static RawResponse parse(byte[] received) {
    int headEnd = indexOf(received, HEAD_END, 0);
    if (headEnd < 0) {
      return new RawResponse(0, new String(received, StandardCharsets.ISO_8859_1), "", false);
    }
    String head = new String(received, 0, headEnd, StandardCharsets.ISO_8859_1);
    int status = parseStatus(head);
    int bodyStart = headEnd + HEAD_END.length;
    String encoding = header(head, "Transfer-Encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      return dechunk(status, head, received, bodyStart);
    }
    String length = header(head, "Content-Length");
    int available = received.length - bodyStart;
    boolean complete = length == null || available >= Long.parseLong(length.trim());
    int bodyLength = length == null ? available : (int) Math.min(available, Long.parseLong(length.trim()));
    return new RawResponse(status, head, new String(received, bodyStart, bodyLength, StandardCharsets.UTF_8),
        complete);
  }

  private static RawResponse dechunk(int status, String head, byte[] received, int from) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = from;
    while (true) {
      int lineEnd = indexOf(received, new byte[] {'\r', '\n'}, at);
      if (lineEnd < 0) {
        break;
      }
      String sizeLine = new String(received, at, lineEnd - at, StandardCharsets.ISO_8859_1);
      int semicolon = sizeLine.indexOf(';');
      int size;
      try {
        size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        break;
      }
      int dataStart = lineEnd + 2;
      if (size == 0) {
        return new RawResponse(status, head, body.toString(StandardCharsets.UTF_8), true);
      }
      int available = Math.min(size, received.length - dataStart);
      body.write(received, dataStart, Math.max(0, available));
      if (available < size) {
        break;
      }
      at = dataStart + size + 2;
    }
    return new RawResponse(status, head, body.toString(StandardCharsets.UTF_8), false);
  }

  private static int parseStatus(String head) {
    String[] statusLine = head.split("\r\n", 2)[0].split(" ");
    try {
      return statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The status code, or 0 when not even the head arrived. */
  public int status() {
    return status;
  }

  /** The first value of header {@code name}, or {@code null}. */
  public String header(String name) {
    return header(head, name);
  }

  /** The body as UTF-8, without chunk framing; as much of it as arrived. */
  public String body() {
    return body;
  }

  /** Whether the head and the whole body arrived. */
  public boolean isComplete() {
    return complete;
  }

  /** Status, completeness and the start of the body, for assertion messages. */
  @Override
  public String toString() {
    String shown = body.length() > 300 ? body.substring(0, 150) + " ... " + body.substring(body.length() - 150) : body;
    return "HTTP " + status + (complete ? "" : " (incomplete)") + ", " + body.length() + " chars: " + shown;
  }
}
