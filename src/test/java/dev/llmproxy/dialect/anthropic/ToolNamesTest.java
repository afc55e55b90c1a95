package dev.llmproxy.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolNamesTest {
  @Test
  void validNamesKeepThemselvesAndNeedNoMapping() {
    ToolNames.Builder builder = new ToolNames.Builder();
    assertEquals("Bash", builder.upstreamName("Bash"));
    assertEquals("mcp__github__create_issue", builder.upstreamName("mcp__github__create_issue"));
    assertSame(ToolNames.none(), builder.build());
  }

  @Test
  void invalidNamesAreSanitizedAndMappedBack() {
    ToolNames.Builder builder = new ToolNames.Builder();
    assertEquals("browser_navigate", builder.upstreamName("browser.navigate"));
    assertEquals("browser_navigate", builder.upstreamName("browser.navigate"), "stable on a second ask");
    ToolNames names = builder.build();
    assertEquals("browser.navigate", names.original("browser_navigate"));
    assertEquals("Bash", names.original("Bash"), "unknown names pass through");
    assertEquals(Map.of("browser_navigate", "browser.navigate"), names.renamed());
  }

  @Test
  void longNamesAreCutTo64() {
    String longName = "x".repeat(100);
    ToolNames.Builder builder = new ToolNames.Builder();
    String upstream = builder.upstreamName(longName);
    assertEquals(64, upstream.length());
    assertEquals(longName, builder.build().original(upstream));
  }

  @Test
  void clashesGetANumericSuffixWithinTheLimit() {
    ToolNames.Builder builder = new ToolNames.Builder();
    assertEquals("a_b", builder.upstreamName("a_b"));
    assertEquals("a_b_2", builder.upstreamName("a.b"));
    assertEquals("a_b_3", builder.upstreamName("a:b"));
    String long1 = "y".repeat(70) + "1";
    String long2 = "y".repeat(70) + "2";
    String first = builder.upstreamName(long1);
    String second = builder.upstreamName(long2);
    assertNotEquals(first, second);
    assertTrue(second.length() <= 64 && second.endsWith("_2"), second);
    ToolNames names = builder.build();
    assertEquals("a_b", names.original("a_b"));
    assertEquals("a.b", names.original("a_b_2"));
    assertEquals("a:b", names.original("a_b_3"));
    assertEquals(long2, names.original(second));
  }

  @Test
  void emptyNamesGetAName() {
    assertEquals("tool", ToolNames.sanitize(""));
    assertFalse(new ToolNames.Builder().knows("x"));
  }
}
