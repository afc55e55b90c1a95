package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ErrorRuleTest {
  @Test
  void statusMustMatchExactlyWhenGiven() {
    ErrorRule rule = new ErrorRule(400, List.of(), List.of(), ErrorAction.CONTINUE);
    assertTrue(rule.matches(400, "anything"));
    assertFalse(rule.matches(422, "anything"));
    assertTrue(new ErrorRule(null, List.of(), List.of(), ErrorAction.STOP).matches(503, ""), "no status: any");
  }

  @Test
  void anySubstringOrAnyPatternMatchesTheBody() {
    ErrorRule rule = new ErrorRule(null, List.of("quota"), List.of(Pattern.compile("try again in \\d+s")),
        ErrorAction.STOP);
    assertTrue(rule.matches(429, "{\"error\":\"quota reached\"}"));
    assertTrue(rule.matches(429, "{\"error\":\"busy, try again in 20s\"}"));
    assertFalse(rule.matches(429, "{\"error\":\"Quota\"}"), "substrings are compared as written");
    assertFalse(rule.matches(429, "{\"error\":\"try again later\"}"));
  }

  @Test
  void theFirstMatchingRuleWins() {
    List<ErrorRule> rules = List.of(
        new ErrorRule(400, List.of("context"), List.of(), ErrorAction.STOP),
        new ErrorRule(400, List.of(), List.of(), ErrorAction.CONTINUE_AND_COOLDOWN));
    assertEquals(ErrorAction.STOP, ErrorRule.actionFor(rules, 400, "context too long"));
    assertEquals(ErrorAction.CONTINUE_AND_COOLDOWN, ErrorRule.actionFor(rules, 400, "bad"));
    assertNull(ErrorRule.actionFor(rules, 500, "context"));
  }
}
