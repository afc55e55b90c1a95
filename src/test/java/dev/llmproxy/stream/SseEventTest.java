package dev.llmproxy.stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseEventTest {
  private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

  /** An event whose data sits in the middle of a larger buffer, as the parser shows it. */
  private static SseEvent event(String data) {
    byte[] buffer = ("xx\"usage\":{" + data + "\"usage\":{yy").getBytes(StandardCharsets.UTF_8);
    SseEvent e = new SseEvent();
    e.show(null, buffer, 11, data.getBytes(StandardCharsets.UTF_8).length, false, false, true);
    return e;
  }

  @Test
  void anObjectMemberIsFoundWithOrWithoutBlanks() {
    assertTrue(event("{\"choices\":[],\"usage\":{\"prompt_tokens\":3}}").hasObjectMember(USAGE));
    assertTrue(event("{\"usage\" :\n {\"total_tokens\":1}}").hasObjectMember(USAGE));
    assertTrue(event("{\"note\":\"usage\",\"usage\":{}}").hasObjectMember(USAGE), "a later occurrence counts");
  }

  @Test
  void nullValuesStringsAndBytesOutsideTheWindowDoNot() {
    assertFalse(event("{\"choices\":[{\"delta\":{}}],\"usage\":null}").hasObjectMember(USAGE));
    assertFalse(event("{\"content\":\"usage\"}").hasObjectMember(USAGE));
    assertFalse(event("{\"a\":1}").hasObjectMember(USAGE), "the buffer around the window has matches");
  }
}
