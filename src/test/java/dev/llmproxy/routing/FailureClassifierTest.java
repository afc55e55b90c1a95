package dev.llmproxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureClassifierTest {
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "400 | {\"error\":{\"code\":\"context_length_exceeded\"}} | REQUEST_FAULT",
      "400 | {\"error\":{\"message\":\"bad\"}}                  | REQUEST_FAULT",
      "400 | {\"error\":{\"message\":\"Model not supported\"}}  | MODEL_GONE",
      "413 | too big                                          | REQUEST_FAULT",
      "422 | {\"error\":{\"type\":\"invalid_request_error\"}}  | REQUEST_FAULT",
      "401 | {\"error\":{\"type\":\"authentication_error\"}}   | KEY_FAULT",
      "402 | {\"error\":{\"code\":\"invalid_request_error\",\"message\":\"Insufficient Balance\"}} | KEY_FAULT",
      "403 | forbidden                                        | KEY_FAULT",
      "404 | {\"error\":{\"code\":\"model_not_found\"}}        | MODEL_GONE",
      "408 | timeout                                          | TRANSIENT",
      "429 | {\"error\":{\"type\":\"invalid_request_error\"}}  | RATE_LIMIT",
      "500 | oops                                             | TRANSIENT",
      "502 | <html>bad gateway</html>                         | TRANSIENT",
      "503 | overloaded                                       | TRANSIENT",
      "504 | ''                                               | TRANSIENT",
      "418 | teapot                                           | TRANSIENT"})
  void classifiesStatusAndBody(int status, String body, FailureKind expected) {
    assertEquals(expected, FailureClassifier.classify(status, body.getBytes(StandardCharsets.UTF_8)));
  }
}
