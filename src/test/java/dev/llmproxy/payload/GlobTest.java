package dev.llmproxy.payload;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobTest {
  @Test
  void starIsAnyTextAndQuestionMarkOneCharacter() {
    assertTrue(Glob.matches("gpt-*", "gpt-5"));
    assertTrue(Glob.matches("*-pro", "gemini-2.5-pro"));
    assertTrue(Glob.matches("gemini-*-pro", "gemini-2.5-pro"));
    assertTrue(Glob.matches("*", ""));
    assertTrue(Glob.matches("a*b*c", "aXbYbZc"));
    assertTrue(Glob.matches("gpt-?", "gpt-5"));
    assertFalse(Glob.matches("gpt-?", "gpt-55"));
    assertFalse(Glob.matches("gpt-*", "claude"));
    assertFalse(Glob.matches("a*b", "ab-c"));
    assertFalse(Glob.matches("exact", "exact-not"));
  }
}
