package dev.llmproxy.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The SSE parser reads what an upstream sends. Whatever the bytes, it gives the same events and comments
 * however they are split across reads (whole, byte by byte, and in pieces whose sizes the bytes
 * themselves choose), and throws nothing: the events are far smaller than its limit here. Seeds in
 * {@code SseEventParserFuzzTestInputs/}; README says how to fuzz it.
 */
class SseEventParserFuzzTest {
  private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);

  @FuzzTest
  void sameEventsWhateverTheSplit(byte[] stream) {
    List<String> whole = parse(List.of(stream));

    assertEquals(whole, parse(piecesOf(stream, i -> 1)), "byte by byte");
    assertEquals(whole, parse(piecesOf(stream, i -> 1 + (stream[i] & 0x0f))), "in pieces of 1 to 16 bytes");
  }

  private static List<byte[]> piecesOf(byte[] all, java.util.function.IntUnaryOperator sizeAt) {
    List<byte[]> pieces = new ArrayList<>();
    for (int i = 0; i < all.length; ) {
      int n = Math.min(all.length - i, sizeAt.applyAsInt(i));
      pieces.add(Arrays.copyOfRange(all, i, i + n));
      i += n;
    }
    return pieces;
  }

  private static List<String> parse(List<byte[]> reads) {
    List<String> out = new ArrayList<>();
    SseEventParser parser = new SseEventParser(new SseEventParser.Listener() {
      @Override
      public void onEvent(SseEvent e) {
        out.add("event " + e.name() + " " + Base64.getEncoder().encodeToString(e.copyData()) + (e.isDone() ? " done" : "")
            + (e.containsWatched() ? " error-key" : ""));
      }

      @Override
      public void onComment(String text) {
        out.add("comment " + text);
      }
    }, 1 << 24, ERROR_KEY);
    for (byte[] read : reads) {
      parser.feed(ByteBuffer.wrap(read));
    }
    parser.finish();
    return out;
  }
}
