package dev.llmproxy.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spec §3, stop_reason ← finish_reason, the tool_use override (§9 bug 1), and length before it. */
class StopReasonTest {
  @ParameterizedTest(name = "{0}, tool_use block: {1} -> {2}")
  @CsvSource(nullValues = "null", value = {
      "stop, false, end_turn",
      "length, false, max_tokens",
      "tool_calls, false, tool_use",
      "function_call, false, tool_use",
      "content_filter, false, refusal",
      "null, false, end_turn",
      "something_new, false, end_turn",
      "stop, true, tool_use",
      "null, true, tool_use",
      "length, true, max_tokens",
  })
  void mapsFinishReasons(String finishReason, boolean toolUse, String expected) {
    assertEquals(expected, StopReason.of(finishReason, toolUse));
  }
}
