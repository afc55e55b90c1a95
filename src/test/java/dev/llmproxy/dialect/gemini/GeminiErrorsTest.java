package dev.llmproxy.dialect.gemini;

import static dev.llmproxy.testing.TranslatorFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.OpenAiError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiErrorsTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"400, INVALID_ARGUMENT", "401, UNAUTHENTICATED", "403, PERMISSION_DENIED", "404, NOT_FOUND",
      "413, INVALID_ARGUMENT", "429, RESOURCE_EXHAUSTED", "500, INTERNAL", "502, UNAVAILABLE", "503, UNAVAILABLE",
      "504, DEADLINE_EXCEEDED", "402, FAILED_PRECONDITION", "418, INVALID_ARGUMENT", "599, INTERNAL"})
  void theStatusIsGooglesNameForTheHttpStatus(int http, String status) {
    assertEquals(status, GeminiErrors.status(http));
  }

  @Test
  void theBodyIsGooglesEnvelope() {
    assertEquals(parse("{\"error\":{\"code\":404,\"message\":\"models/x is not found.\",\"status\":\"NOT_FOUND\"}}"),
        parse(new String(GeminiErrors.body(404, "models/x is not found."), StandardCharsets.UTF_8)));
  }

  @Test
  void aMissingKeyIsAskedForTheWaysGeminiClientsSendIt() {
    String message = GeminiErrors.message(new ClientError(401, OpenAiError.missingApiKey()));
    assertTrue(message.contains("'x-goog-api-key' header"), message);
    assertTrue(message.contains("?key="), message);
    assertFalse(message.contains("Authorization"), message);
  }

  @Test
  void otherErrorsKeepTheGatewaysMessage() {
    assertEquals("Incorrect API key provided.",
        GeminiErrors.message(new ClientError(401, OpenAiError.invalidApiKey())));
  }
}
