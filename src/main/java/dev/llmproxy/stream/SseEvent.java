package dev.llmproxy.stream;

import java.nio.charset.StandardCharsets;

/**
 * One complete server-sent event as received from an upstream. Immutable by convention (the data
 * array is owned by the event and never changed after creation).
 *
 * @param name the {@code event:} field, or {@code null}
 * @param data the {@code data:} lines joined with '\n', as raw UTF-8 bytes
 */
public record SseEvent(String name, byte[] data) {
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  public boolean isDone() {
    int start = 0;
    int end = data.length;
    while (start < end && isBlank(data[start])) {
      start++;
    }
    while (end > start && isBlank(data[end - 1])) {
      end--;
    }
    // Compared in place: copying the payload to trim it cost a full copy of every event.
    return java.util.Arrays.equals(data, start, end, DONE, 0, DONE.length);
  }

  /** True when the payload is a JSON object (a cheap check on its first and last non-blank bytes). */
  public boolean looksLikeJsonObject() {
    int start = 0;
    int end = data.length - 1;
    while (start <= end && isBlank(data[start])) {
      start++;
    }
    while (end >= start && isBlank(data[end])) {
      end--;
    }
    return start < end && data[start] == '{' && data[end] == '}';
  }

  public String dataAsString() {
    return new String(data, StandardCharsets.UTF_8);
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
