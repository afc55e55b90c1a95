package dev.llmproxy.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventParserTest {
  private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.UTF_8);

  /** Captures parser output, as HC's ServerSentEventReaderTest does, without mocks. */
  private static final class Captured implements SseEventParser.Listener {
    final List<String> events = new ArrayList<>();
    final List<String> comments = new ArrayList<>();

    @Override
    public void onEvent(SseEvent event) {
      events.add((event.name() == null ? "" : event.name() + "|") + event.dataAsString());
    }

    @Override
    public void onComment(String text) {
      comments.add(text);
    }
  }

  private static Captured parse(int maxEvent, String... chunks) {
    Captured c = new Captured();
    SseEventParser parser = new SseEventParser(c, maxEvent, ERROR_KEY);
    for (String chunk : chunks) {
      parser.feed(ByteBuffer.wrap(chunk.getBytes(StandardCharsets.UTF_8)));
    }
    parser.finish();
    return c;
  }

  @Test
  void framesEventsOnBlankLines() {
    Captured c = parse(1024, "data: {\"a\":1}\n\ndata: {\"b\":2}\n\n");
    assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), c.events);
  }

  @Test
  void handlesCrLfAndCrAndSplitsAcrossBuffers() {
    Captured c = parse(1024, "data: one\r", "\n\r", "\ndata: two\r\rdata:three\n", "\n");
    assertEquals(List.of("one", "two", "three"), c.events);
  }

  @Test
  void aLeadingByteOrderMarkIsIgnoredEvenSplitButOnlyAtTheStart() {
    assertEquals(List.of("one", "two"), parse(1024, "\uFEFFdata: one\n\ndata: two\n\n").events);
    Captured split = new Captured();
    SseEventParser parser = new SseEventParser(split, 1024, ERROR_KEY);
    for (byte[] piece : new byte[][] {{(byte) 0xEF}, {(byte) 0xBB}, {(byte) 0xBF, 'd'}, "ata: x\n\n".getBytes()}) {
      parser.feed(ByteBuffer.wrap(piece));
    }
    parser.finish();
    assertEquals(List.of("x"), split.events);
    assertEquals(List.of("\uFEFFin the data"), parse(1024, "data: one\n\n", "data: \uFEFFin the data\n\n").events
        .subList(1, 2));
  }

  @Test
  void joinsMultiLineDataAndKeepsEventNames() {
    Captured c = parse(1024, "event: response.created\ndata: line1\ndata: line2\nid: 7\nretry: 10\n\n");
    assertEquals(List.of("response.created|line1\nline2"), c.events);
  }

  @Test
  void reportsCommentsAndIgnoresEmptyEvents() {
    Captured c = parse(1024, ": keep-alive\n\nevent: ping\n\n\n\ndata: x\n\n");
    assertEquals(List.of(" keep-alive".trim()), c.comments);
    assertEquals(List.of("x"), c.events);
  }

  @Test
  void dispatchesAFinalEventWithoutTrailingBlankLineOnFinish() {
    assertEquals(List.of("tail"), parse(1024, "data: tail").events);
  }

  @Test
  void fieldWithoutSpaceAfterColonAndUtf8Survive() {
    Captured c = parse(1024, "data:{\"t\":\"héllo ✓\"}\n\n");
    assertEquals(List.of("{\"t\":\"héllo ✓\"}"), c.events);
  }

  @Test
  void eventLargerThanLimitIsRejected() {
    assertThrows(SseEventParser.EventTooLargeException.class, () -> parse(64, "data: " + "x".repeat(100) + "\n\n"));
  }

  @Test
  void encodesFramesBackIncludingMultiLinePayloads() {
    String frame = new String(SseFrames.encode("delta", "a\nb".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    assertEquals("event: delta\ndata: a\ndata: b\n\n", frame);
  }

  @Test
  void recognisesDoneAndJsonObjectsWithBlanksAround() {
    List<String> kinds = new ArrayList<>();
    SseEventParser parser = new SseEventParser(event -> kinds.add(
        (event.isDone() ? "done" : "-") + (event.looksLikeJsonObject() ? "+json" : "")), 1024, ERROR_KEY);
    parser.feed(ByteBuffer.wrap("data:  [DONE] \n\ndata:  {\"x\":1}\t\n\ndata: {\"x\":\n\ndata: [DONE]x\n\n"
        .getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("done", "-+json", "-", "-"), kinds);
  }

  @Test
  void eventsLeftOpenAtTheEndOfAReadDoNotDependOnTheCallersBuffer() {
    // HttpClient reuses its read buffer after a read: whatever the parser keeps must be its own copy.
    Captured c = new Captured();
    SseEventParser parser = new SseEventParser(c, 1024, ERROR_KEY);
    byte[] read = "event: e\ndata: first\ndata: sec".getBytes(StandardCharsets.UTF_8);
    parser.feed(ByteBuffer.wrap(read));
    java.util.Arrays.fill(read, (byte) 'X');
    byte[] second = "ond\ndata: one line\n".getBytes(StandardCharsets.UTF_8);
    parser.feed(ByteBuffer.wrap(second));
    java.util.Arrays.fill(second, (byte) 'Y');
    byte[] third = "\ndata: solo\n".getBytes(StandardCharsets.UTF_8);
    parser.feed(ByteBuffer.wrap(third));
    java.util.Arrays.fill(third, (byte) 'Z');
    parser.feed(ByteBuffer.wrap("\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("e|first\nsecond\none line", "solo"), c.events);
  }

  @Test
  void eachEventSaysWhetherItMayContainTheHintedText() {
    List<String> seen = new ArrayList<>();
    SseEventParser parser = new SseEventParser(
        event -> seen.add(event.dataAsString() + "=" + event.mayContainHinted()), 1024, ERROR_KEY,
        "\"finish_reason\"".getBytes(StandardCharsets.UTF_8));
    parser.feed(ByteBuffer.wrap(("data: {\"content\":\"xxxx\"}\n\n"
        + "data: {\"finish_reason\":\"stop\"}\n\n"
        + "data: {\"a\":1}\ndata: {\"b\":2}\n\n").getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("{\"content\":\"xxxx\"}=false", "{\"finish_reason\":\"stop\"}=true",
        "{\"a\":1}\n{\"b\":2}=false"), seen, "no \\\"f anywhere in the first and last: they cannot contain it");
  }

  @Test
  void reframingAStandardStreamGivesBackItsBytes() {
    String stream = "data: {\"a\":1}\n\nevent: response.delta\ndata: {\"b\":2}\n\ndata: x\ndata: y\n\n";
    assertEquals(stream, reframe(stream));
    assertEquals("data: {\"a\":1}\n\ndata: z\n\n", reframe("data:{\"a\":1}\r\nid: 4\r\nretry: 9\r\n\r\ndata: z\r\r"));
  }

  private static String reframe(String stream) {
    SseFrameBatch batch = new SseFrameBatch();
    SseEventParser parser = new SseEventParser(batch::add, 1024, ERROR_KEY);
    parser.feed(ByteBuffer.wrap(stream.getBytes(StandardCharsets.UTF_8)));
    parser.finish();
    ByteBuffer frames = batch.take();
    return new String(frames.array(), 0, frames.limit(), StandardCharsets.UTF_8);
  }
}
