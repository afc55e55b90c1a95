package dev.llmproxy.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bulk line scanner must give the same events however the bytes are split across reads. */
class SseEventParserSplitTest {
  private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.UTF_8);

  private static final String STREAM = "event: a\r\ndata: one\r\ndata: two\n\n: note\ndata: {\"x\":1}\r\r"
      + "data: " + "y".repeat(300) + "\n\ndata: {\"note\":\"e\",\"x\":\"" + "z".repeat(40) + "\"}\n\n"
      + "data: {\"choices\":[],\n" + "data: \"error\":{\"message\":\"" + "w".repeat(30) + "\"}}\n\ndata: [DONE]\n\n";

  @Test
  void sameEventsWhateverTheSplit() {
    List<String> whole = parse(List.of(STREAM.getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("a|one\ntwo", "#note", "null|{\"x\":1}", "null|" + "y".repeat(300),
        "null|{\"note\":\"e\",\"x\":\"" + "z".repeat(40) + "\"}",
        "null|{\"choices\":[],\n\"error\":{\"message\":\"" + "w".repeat(30) + "\"}}|error-key",
        "null|[DONE]|done"), whole);
    Random random = new Random(3);
    byte[] all = STREAM.getBytes(StandardCharsets.UTF_8);
    for (int t = 0; t < 2_000; t++) {
      List<byte[]> parts = new ArrayList<>();
      for (int i = 0; i < all.length; ) {
        int n = Math.min(all.length - i, 1 + random.nextInt(12));
        parts.add(Arrays.copyOfRange(all, i, i + n));
        i += n;
      }
      assertEquals(whole, parse(parts));
    }
  }

  @Test
  void theHintIsExactWhateverTheSplit() {
    byte[] hinted = "\"finish_reason\"".getBytes(StandardCharsets.UTF_8);
    String stream = "data: {\"content\":\"" + "x".repeat(50) + "\"}\n\ndata: {\"finish_reason\":\"stop\"}\n\n"
        + "data: {\"a\":\"\n" + "data: f\"}\n\ndata: \"" + "q".repeat(20) + "\"f\n\n";
    byte[] all = stream.getBytes(StandardCharsets.UTF_8);
    Random random = new Random(5);
    for (int t = 0; t < 2_000; t++) {
      List<String> wrong = new ArrayList<>();
      List<Boolean> hints = new ArrayList<>();
      SseEventParser parser = new SseEventParser(e -> {
        hints.add(e.mayContainHinted());
        if (e.mayContainHinted() != e.dataAsString().contains("\"f")) {
          wrong.add(e.dataAsString());
        }
      }, 1 << 20, ERROR_KEY, hinted);
      for (int i = 0; i < all.length; ) {
        int n = Math.min(all.length - i, 1 + random.nextInt(12));
        parser.feed(ByteBuffer.wrap(Arrays.copyOfRange(all, i, i + n)));
        i += n;
      }
      parser.finish();
      assertEquals(List.of(), wrong, "the hint says exactly whether \"f occurs in the data");
      assertEquals(List.of(false, true, false, true), hints);
    }
  }

  private static List<String> parse(List<byte[]> parts) {
    List<String> out = new ArrayList<>();
    SseEventParser parser = new SseEventParser(new SseEventParser.Listener() {
      @Override
      public void onEvent(SseEvent e) {
        out.add(e.name() + "|" + e.dataAsString() + (e.isDone() ? "|done" : "") + (e.containsWatched() ? "|error-key" : ""));
      }

      @Override
      public void onComment(String text) {
        out.add("#" + text);
      }
    }, 1 << 20, ERROR_KEY);
    for (byte[] part : parts) {
      parser.feed(ByteBuffer.wrap(part));
    }
    parser.finish();
    return out;
  }
}
