package dev.llmproxy.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec §3 tool ids and §9 bug 4: ids outside {@code ^[a-zA-Z0-9_-]+$} never reach the client. */
class ToolIdsTest {
  private static final Pattern ANTHROPIC_ID = Pattern.compile("^[a-zA-Z0-9_-]+$");

  @Test
  void validIdsPassUnchanged() {
    assertEquals("call_9f8e7d", ToolIds.toClient("call_9f8e7d"));
    assertEquals("toolu_01A09q90qw90lq917835lq9", ToolIds.toClient("toolu_01A09q90qw90lq917835lq9"));
    assertEquals("call_9f8e7d", ToolIds.toUpstream("call_9f8e7d"));
  }

  @Test
  void kimiStyleIdsAreEncodedWithTheMarkerAndBase64Url() {
    assertEquals("toolu_b64_ZnVuY3Rpb25zLkJhc2g6MA", ToolIds.toClient("functions.Bash:0"));
    assertEquals("functions.Bash:0", ToolIds.toUpstream("toolu_b64_ZnVuY3Rpb25zLkJhc2g6MA"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"functions.Bash:0", "call abc", "ü:1", "a/b+c=", "toolu_b64_x",
      "a.very.long.mcp.server.name.with.a.very.long.tool.name.and.a.counter:0123456789", "."})
  void everyIdRoundTripsThroughAValidClientId(String upstreamId) {
    String clientId = ToolIds.toClient(upstreamId);
    assertTrue(ANTHROPIC_ID.matcher(clientId).matches(), clientId);
    assertEquals(upstreamId, ToolIds.toUpstream(clientId));
  }

  @Test
  void aValidIdThatLooksEncodedIsEncodedSoItNeverDecodesToSomethingElse() {
    String lookalike = "toolu_b64_ZnVuY3Rpb25zLkJhc2g6MA";
    String clientId = ToolIds.toClient(lookalike);
    assertNotEquals(lookalike, clientId);
    assertEquals(lookalike, ToolIds.toUpstream(clientId));
  }

  @Test
  void markedIdsThatAreNotOurEncodingStayAsSent() {
    assertEquals("toolu_b64_!!", ToolIds.toUpstream("toolu_b64_!!"));
    // Decodes to "call_1", which is valid and would never have been encoded.
    assertEquals("toolu_b64_Y2FsbF8x", ToolIds.toUpstream("toolu_b64_Y2FsbF8x"));
    // Not UTF-8 once decoded.
    assertEquals("toolu_b64__w", ToolIds.toUpstream("toolu_b64__w"));
  }

  @Test
  void missingIdsAreGenerated() {
    String a = ToolIds.toClient(null);
    String b = ToolIds.toClient("");
    assertTrue(a.startsWith("toolu_") && ANTHROPIC_ID.matcher(a).matches(), a);
    assertTrue(b.startsWith("toolu_") && ANTHROPIC_ID.matcher(b).matches(), b);
    assertNotEquals(a, b);
  }

  @Test
  void validityIsExactlyThePattern() {
    assertTrue(ToolIds.isValid("aZ09_-"));
    assertFalse(ToolIds.isValid(""));
    assertFalse(ToolIds.isValid("a.b"));
    assertFalse(ToolIds.isValid("a:b"));
    assertFalse(ToolIds.isValid("é"));
  }
}
