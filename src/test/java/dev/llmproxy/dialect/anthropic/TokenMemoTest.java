package dev.llmproxy.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.llmproxy.dialect.TokenCounter;
import org.junit.jupiter.api.Test;

class TokenMemoTest {
  @Test
  void longAndShortTextsCountAsTheTokenizerDoes() {
    String shortText = "Hello, world!";
    String longText = "def main():\n    print('hello')\n".repeat(40);
    assertEquals(TokenCounter.count(shortText), TokenMemo.count(shortText));
    assertEquals(TokenCounter.count(longText), TokenMemo.count(longText));
    assertEquals(TokenCounter.count(longText), TokenMemo.count(new String(longText.toCharArray())), "remembered");
  }

  @Test
  void textsOfTheSameLengthAreNotConfused() {
    String a = "a".repeat(TokenMemo.MIN_CHARS);
    String b = "a b ".repeat(TokenMemo.MIN_CHARS / 4);
    assertEquals(a.length(), b.length());
    assertNotEquals(TokenCounter.count(a), TokenCounter.count(b));
    assertEquals(TokenCounter.count(a), TokenMemo.count(a));
    assertEquals(TokenCounter.count(b), TokenMemo.count(b));
  }
}
