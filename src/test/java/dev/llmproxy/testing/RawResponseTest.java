package dev.llmproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawResponseTest {
  private static RawResponse parse(String raw) {
    return RawResponse.parse(raw.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aChunkedBodyIsWholeOnlyWithItsLastChunk() {
    String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n";
    RawResponse whole = parse(head + "5\r\ndata:\r\n3;ext=1\r\n ok\r\n0\r\n\r\n");
    assertEquals(200, whole.status());
    assertEquals("data: ok", whole.body());
    assertTrue(whole.isComplete());
    assertEquals("text/event-stream", whole.header("content-type"));

    RawResponse cut = parse(head + "5\r\ndata:\r\n3\r\n o");
    assertFalse(cut.isComplete());
    assertEquals("data: o", cut.body());
  }

  @Test
  void aBodyWithALengthIsWholeOnceThatManyBytesArrived() {
    assertTrue(parse("HTTP/1.1 429 Too Many\r\nContent-Length: 2\r\n\r\n{}").isComplete());
    RawResponse cut = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\"");
    assertFalse(cut.isComplete());
    assertEquals("{\"a\"", cut.body());
  }

  @Test
  void withoutAHeadThereIsNoStatus() {
    RawResponse nothing = parse("HTTP/1.1 200 OK\r\nContent-");
    assertEquals(0, nothing.status());
    assertFalse(nothing.isComplete());
    assertEquals(0, parse("").status());
  }
}
