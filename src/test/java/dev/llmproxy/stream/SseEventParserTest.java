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
    SseEventParser parser = new SseEventParser(c, maxEvent);
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
    SseEvent done = new SseEvent(null, " [DONE] ".getBytes(StandardCharsets.UTF_8));
    assertTrue(done.isDone());
    assertTrue(new SseEvent(null, " {\"x\":1}\n".getBytes(StandardCharsets.UTF_8)).looksLikeJsonObject());
    assertEquals(false, new SseEvent(null, "{\"x\":".getBytes(StandardCharsets.UTF_8)).looksLikeJsonObject());
  }
}
