package dev.llmproxy.dialect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmproxy.routing.PoolMember;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LocalCallTest {
  @Test
  void answersItselfAndNeverBuildsAnUpstreamCall() {
    byte[] answer = "{\"input_tokens\":12}".getBytes(StandardCharsets.UTF_8);
    LocalCall call = new LocalCall("claude-sonnet-4-5", answer);

    assertEquals("claude-sonnet-4-5", call.model());
    assertFalse(call.stream());
    assertArrayEquals(answer, call.localAnswer());
    assertThrows(IllegalStateException.class, () -> call.upstreamCall(new PoolMember(null, "m"), "m"));
  }
}
