package dev.llmproxy.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spec §5 and §9 bug 8: Anthropic's envelope, the type derived from the status alone. */
class AnthropicErrorsTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "400, invalid_request_error", "401, authentication_error", "402, billing_error",
      "403, permission_error", "404, not_found_error", "413, request_too_large", "429, rate_limit_error",
      "500, api_error", "502, api_error", "503, overloaded_error", "529, overloaded_error",
      "504, api_error",
      "405, invalid_request_error", "409, invalid_request_error", "422, invalid_request_error",
      "501, api_error", "599, api_error", "200, api_error",
  })
  void typeFollowsTheStatus(int status, String type) {
    assertEquals(type, AnthropicErrors.type(status));
  }

  @Test
  void bodyIsTheEnvelope() {
    assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow \\\"down\\\"\"}}",
        new String(AnthropicErrors.body(429, "slow \"down\""), StandardCharsets.UTF_8));
    assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"\"}}",
        new String(AnthropicErrors.body(500, null), StandardCharsets.UTF_8));
  }
}
