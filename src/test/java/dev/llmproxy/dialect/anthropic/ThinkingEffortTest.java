package dev.llmproxy.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.dialect.TranslationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spec §2, thinking → reasoning_effort, with the thresholds documented on {@link ThinkingEffort}. */
class ThinkingEffortTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "budget {0} -> {1}")
  @CsvSource({
      "1, low", "512, low", "1024, low",
      "1025, medium", "4000, medium", "8192, medium",
      "8193, high", "10000, high", "24576, high", "31999, high", "128000, high",
  })
  void budgetsMapToThreeLevels(long budget, String effort) throws Exception {
    assertEquals(effort, ThinkingEffort.of(JSON.readTree(
        "{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":" + budget + "}}")));
  }

  @Test
  void enabledWithoutBudgetIsMedium() throws Exception {
    assertEquals("medium", ThinkingEffort.of(JSON.readTree("{\"thinking\":{\"type\":\"enabled\"}}")));
  }

  @ParameterizedTest(name = "adaptive {0} -> {1}")
  @CsvSource({"low, low", "medium, medium", "high, high", "max, high"})
  void adaptiveTakesTheOutputConfigEffort(String effort, String expected) throws Exception {
    assertEquals(expected, ThinkingEffort.of(JSON.readTree(
        "{\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"" + effort + "\"}}")));
  }

  @Test
  void disabledAdaptiveWithoutEffortAndAbsentSendNothing() throws Exception {
    assertNull(ThinkingEffort.of(JSON.readTree("{\"thinking\":{\"type\":\"disabled\"}}")));
    assertNull(ThinkingEffort.of(JSON.readTree("{\"thinking\":{\"type\":\"adaptive\"}}")));
    assertNull(ThinkingEffort.of(JSON.readTree("{\"thinking\":null}")));
    assertNull(ThinkingEffort.of(JSON.readTree("{}")));
  }

  @Test
  void malformedThinkingIsA400() throws Exception {
    TranslationException e = assertThrows(TranslationException.class,
        () -> ThinkingEffort.of(JSON.readTree("{\"thinking\":{\"type\":\"sometimes\"}}")));
    assertEquals("thinking.type", e.param());
    assertEquals("thinking.budget_tokens", assertThrows(TranslationException.class, () -> ThinkingEffort.of(
        JSON.readTree("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":\"lots\"}}"))).param());
    assertEquals("thinking", assertThrows(TranslationException.class,
        () -> ThinkingEffort.of(JSON.readTree("{\"thinking\":true}"))).param());
  }
}
