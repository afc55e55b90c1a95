package dev.llmproxy.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmproxy.dialect.anthropic.ToolInputCheck.State;
import org.junit.jupiter.api.Test;

class ToolInputCheckTest {
  private final ToolInputCheck check = new ToolInputCheck();

  @Test
  void anObjectInFragmentsIsPassedOnAsItArrivesWithoutLeadingWhitespace() {
    assertNull(check.accept(" \n"));
    assertEquals(State.EMPTY, check.state());
    assertEquals("{\"a\": \"}\", ", check.accept(" {\"a\": \"}\", "));
    assertEquals(State.OPEN, check.state());
    assertEquals("\"b\": [1, {}]} ", check.accept("\"b\": [1, {}]} "));
    assertEquals(State.COMPLETE, check.state());
    assertNull(check.accept("\t\n"));
    assertEquals(State.COMPLETE, check.state());
  }

  @Test
  void aFirstCharacterOtherThanABraceIsNoObject() {
    assertNull(check.accept(" [1,2]"));
    assertEquals(State.NOT_OBJECT, check.state());
    assertNull(check.accept("{}"), "final");
  }

  @Test
  void aSyntaxErrorIsHeldBackAndMakesItNoObject() {
    assertEquals("{\"a\":", check.accept("{\"a\":"));
    assertNull(check.accept(" tru }"));
    assertEquals(State.NOT_OBJECT, check.state());
  }

  @Test
  void anythingButWhitespaceAfterTheObjectMakesItNoObject() {
    assertNull(check.accept("{} 5"));
    assertEquals(State.NOT_OBJECT, check.state());
    ToolInputCheck later = new ToolInputCheck();
    later.accept("{}");
    assertNull(later.accept(" x"));
    assertEquals(State.NOT_OBJECT, later.state());
  }
}
