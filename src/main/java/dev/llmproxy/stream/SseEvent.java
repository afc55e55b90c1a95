package dev.llmproxy.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One complete server-sent event as received from an upstream, seen through a window that is valid
 * only during {@link SseEventParser.Listener#onEvent}: the parser reuses this object, and the data
 * bytes usually still lie in the upstream's read buffer. That is the point: the relay frames them
 * straight into its output without copying them first (copies per event were the largest cost of a
 * large stream). Call {@link #copyData()} to keep them.
 */
public final class SseEvent {
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  private String name;
  private byte[] bytes;
  private int offset;
  private int length;
  private boolean lineBreaks;
  private boolean watched;
  private boolean hinted;

  SseEvent() {}

  /**
   * Points this window at the next event; {@code hasLineBreaks} when it had several data lines,
   * {@code hasWatched} when the data contains the parser's watched text, {@code mayHaveHinted} unless it
   * cannot contain its hinted text.
   */
  void show(String eventName, byte[] array, int from, int len, boolean hasLineBreaks, boolean hasWatched,
      boolean mayHaveHinted) {
    this.name = eventName;
    this.bytes = array;
    this.offset = from;
    this.length = len;
    this.lineBreaks = hasLineBreaks;
    this.watched = hasWatched;
    this.hinted = mayHaveHinted;
  }

  /** The {@code event:} field, or {@code null}. */
  public String name() {
    return name;
  }

  /** True when the data (the {@code data:} lines joined with '\n') contains a '\n'. */
  public boolean hasLineBreaks() {
    return lineBreaks;
  }

  public boolean isDone() {
    int start = firstNonBlank();
    int end = lastNonBlank() + 1;
    return start < end && Arrays.equals(bytes, start, end, DONE, 0, DONE.length);
  }

  /** True when the payload is a JSON object (a cheap check on its first and last non-blank bytes). */
  public boolean looksLikeJsonObject() {
    int start = firstNonBlank();
    int end = lastNonBlank();
    return start < end && bytes[start] == '{' && bytes[end] == '}';
  }

  /** True when the data contains the text the parser was told to watch for. */
  public boolean containsWatched() {
    return watched;
  }

  /**
   * False when the data cannot contain the parser's hinted text (not even its first two bytes occur); true
   * when it may. Free: noted by the parser's line scan.
   */
  public boolean mayContainHinted() {
    return hinted;
  }

  /**
   * True when the data has a member {@code quotedName} (written with its quotes) whose value is a JSON
   * object: {@code "usage":{...}} but not {@code "usage":null}. A scan of the event, without copying or
   * parsing it.
   */
  public boolean hasObjectMember(byte[] quotedName) {
    return hasMemberStartingWith(quotedName, (byte) '{');
  }

  /**
   * True when the data has a member {@code quotedName} whose value is a string: {@code "finish_reason":"stop"}
   * but not {@code "finish_reason":null}. A scan, like {@link #hasObjectMember}.
   */
  public boolean hasStringMember(byte[] quotedName) {
    return hasMemberStartingWith(quotedName, (byte) '"');
  }

  private boolean hasMemberStartingWith(byte[] quotedName, byte firstValueByte) {
    int end = offset + length;
    for (int i = ByteScan.indexOf(bytes, offset, end, quotedName); i >= 0;
        i = ByteScan.indexOf(bytes, i + 1, end, quotedName)) {
      int colon = skipBlanks(i + quotedName.length, end);
      if (colon < end && bytes[colon] == ':') {
        int value = skipBlanks(colon + 1, end);
        if (value < end && bytes[value] == firstValueByte) {
          return true;
        }
      }
    }
    return false;
  }

  private int skipBlanks(int from, int end) {
    int i = from;
    while (i < end && isBlank(bytes[i])) {
      i++;
    }
    return i;
  }

  /** The data parsed as JSON, read straight from the window (no copy of the bytes first). */
  public com.fasterxml.jackson.databind.JsonNode readJson(com.fasterxml.jackson.databind.ObjectMapper mapper)
      throws java.io.IOException {
    return mapper.readTree(bytes, offset, length);
  }

  public byte[] copyData() {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  public String dataAsString() {
    return new String(bytes, offset, length, StandardCharsets.UTF_8);
  }

  public int dataLength() {
    return length;
  }

  /** Copies the data into {@code out} at {@code pos}; returns the position after it. */
  int copyDataTo(byte[] out, int pos) {
    System.arraycopy(bytes, offset, out, pos, length);
    return pos + length;
  }

  byte dataAt(int i) {
    return bytes[offset + i];
  }

  private int firstNonBlank() {
    int i = offset;
    int end = offset + length;
    while (i < end && isBlank(bytes[i])) {
      i++;
    }
    return i;
  }

  private int lastNonBlank() {
    int i = offset + length - 1;
    while (i >= offset && isBlank(bytes[i])) {
      i--;
    }
    return i;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
