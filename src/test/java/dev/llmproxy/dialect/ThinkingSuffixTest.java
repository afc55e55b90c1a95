package dev.llmproxy.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmproxy.error.GatewayException;
import org.junit.jupiter.api.Test;

class ThinkingSuffixTest {

  private static String effort(String model) {
    return ThinkingSuffix.split(model).effort();
  }

  @Test
  void splitsTheLastParenthesesOffTheBase() {
    assertEquals(new ThinkingSuffix("kimi-k2", "high"), ThinkingSuffix.split("kimi-k2(high)"));
    assertEquals(new ThinkingSuffix("or/claude-sonnet", "8000"), ThinkingSuffix.split("or/claude-sonnet(8000)"));
    assertEquals(new ThinkingSuffix("m(x)", "low"), ThinkingSuffix.split("m(x)(low)"));
    assertEquals(new ThinkingSuffix("m", ""), ThinkingSuffix.split("m()"));
  }

  @Test
  void aModelWithoutClosingParenthesesOrWithNothingBeforeThemHasNoSuffix() {
    assertNull(ThinkingSuffix.split("kimi-k2"));
    assertNull(ThinkingSuffix.split("kimi-k2(high"));
    assertNull(ThinkingSuffix.split("kimi-k2)"));
    assertNull(ThinkingSuffix.split("(high)"));
  }

  @Test
  void namedEffortsPassThroughInLowerCase() {
    assertEquals("minimal", effort("m(minimal)"));
    assertEquals("low", effort("m(low)"));
    assertEquals("medium", effort("m(Medium)"));
    assertEquals("high", effort("m(HIGH)"));
    assertEquals("none", effort("m(none)"));
  }

  @Test
  void autoLeavesTheEffortToTheProvider() {
    assertNull(effort("m(auto)"));
    assertNull(effort("m(AUTO)"));
  }

  @Test
  void aBudgetMapsAsAnthropicsBudgetTokensDo() {
    assertEquals("none", effort("m(0)"));
    assertEquals("low", effort("m(1)"));
    assertEquals("low", effort("m(1024)"));
    assertEquals("medium", effort("m(1025)"));
    assertEquals("medium", effort("m(8000)"));
    assertEquals("medium", effort("m(8192)"));
    assertEquals("high", effort("m(8193)"));
    assertEquals("high", effort("m(31999)"));
    assertEquals("high", effort("m(99999999999999999999999)"));
  }

  @Test
  void anyOtherValueIsA400NamingModelAndTheAcceptedValues() {
    for (String model : new String[] {"m(bogus)", "m()", "m(-1)", "m(1.5)", "m( high)", "m(xhigh)"}) {
      GatewayException e = assertThrows(GatewayException.class, () -> effort(model), model);
      assertEquals(400, e.status());
      assertEquals("model", e.error().param());
      assertEquals("invalid_request_error", e.error().type().wireName());
      assertEquals("The thinking suffix '" + model.substring(1) + "' of model '" + model + "' is not one of "
          + "minimal, low, medium, high, none, auto or a number of tokens.", e.error().message());
    }
  }
}
