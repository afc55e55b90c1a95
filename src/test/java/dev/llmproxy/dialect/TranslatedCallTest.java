package dev.llmproxy.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.routing.PoolMember;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranslatedCallTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void eachAttemptPostsTheBodyWithItsModelAndCapAndGetsItsOwnAnswer() throws Exception {
    ObjectNode body = (ObjectNode) JSON.readTree("{\"model\":\"client-alias\",\"max_tokens\":4096,\"messages\":[]}");
    List<Answer> made = new ArrayList<>();
    TranslatedCall call = new TranslatedCall("client-alias", true, body, () -> {
      Answer answer = new TranslatedAnswer(tree -> new byte[0], null, EventFraming.SSE, new byte[0]);
      made.add(answer);
      return answer;
    });

    UpstreamCall first = call.upstreamCall(new PoolMember(null, "up-a", false, 1000), "up-a");
    UpstreamCall second = call.upstreamCall(new PoolMember(null, "up-b"), "up-b");

    assertEquals("client-alias", call.model());
    assertTrue(call.stream());
    assertEquals("/chat/completions", first.path());
    assertEquals(UpstreamProtocol.CHAT, first.protocol());
    assertTrue(first.stream());
    assertEquals("{\"model\":\"up-a\",\"max_tokens\":1000,\"messages\":[]}",
        new String(first.body(), StandardCharsets.UTF_8));
    assertEquals("{\"model\":\"up-b\",\"max_tokens\":4096,\"messages\":[]}",
        new String(second.body(), StandardCharsets.UTF_8));
    assertEquals(2, made.size());
    assertSame(made.get(0), first.answer());
    assertNotSame(first.answer(), second.answer());
  }

  @Test
  void aSuffixsEffortReplacesTheTranslatedOneAndLeavesTheOriginalCallAsItWas() throws Exception {
    ObjectNode body = (ObjectNode) JSON.readTree("{\"model\":\"a\",\"reasoning_effort\":\"low\",\"messages\":[]}");
    TranslatedCall call = new TranslatedCall("a(high)", false, body, () -> null);

    ClientCall high = call.withReasoningEffort("high");
    ClientCall auto = call.withReasoningEffort(null);

    PoolMember member = new PoolMember(null, "up");
    assertEquals("a(high)", high.model());
    assertEquals("{\"model\":\"up\",\"reasoning_effort\":\"high\",\"messages\":[]}",
        new String(high.upstreamCall(member, "up").body(), StandardCharsets.UTF_8));
    assertEquals("{\"model\":\"up\",\"messages\":[]}",
        new String(auto.upstreamCall(member, "up").body(), StandardCharsets.UTF_8));
    assertEquals("{\"model\":\"up\",\"reasoning_effort\":\"low\",\"messages\":[]}",
        new String(call.upstreamCall(member, "up").body(), StandardCharsets.UTF_8));
  }
}
