package dev.llmproxy.dialect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.OpenAiError;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorResponseTest {
  @Test
  void aJsonErrorKeepsTheStatusAndSaysWhenToRetry() {
    byte[] body = "{\"error\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ErrorResponse limited = ErrorResponse.json(
        new ClientError(429, OpenAiError.rateLimitExceeded("team", "requests"), Duration.ofMillis(1500)), body);
    assertEquals(429, limited.status());
    assertEquals("application/json", limited.contentType());
    assertArrayEquals(body, limited.body());
    assertEquals(Map.of("Retry-After", "2"), limited.headers());

    assertEquals(Map.of(), ErrorResponse.json(new ClientError(400, OpenAiError.invalidJson("bad")), body).headers());
  }
}
