package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamErrorStatusTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      {"error":{"message":"maximum context length is 8192 tokens","type":"invalid_request_error","code":"context_length_exceeded"}} | 400
      {"error":{"object":"error","message":"bad","type":"BadRequestError","param":null,"code":400}}                                 | 400
      {"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}                                              | 429
      {"error":{"message":"quota","type":"insufficient_quota","code":"insufficient_quota"}}                                         | 429
      {"error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED"}}                                           | 429
      {"error":{"message":"bad key","type":"authentication_error"}}                                                                | 401
      {"error":{"message":"no","type":"permission_error"}}                                                                         | 403
      {"error":{"message":"gone","type":"invalid_request_error","code":"model_not_found"}}                                          | 404
      {"error":{"message":"overloaded","type":"server_error"}}                                                                     | 502
      {"error":{"message":"upstream says 503","code":"503"}}                                                                       | 503
      {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}                                                   | 502
      {"error":"something went wrong"}                                                                                             | 502
      {"status":400,"message":"bad input"}                                                                                         | 400
      {"error":{"code":200,"message":"not an error status"}}                                                                       | 502
      {"message":"boom"}                                                                                                           | 502
      not json                                                                                                                     | 502
      """)
  void theStatusAnEventNamesOrATransient502(String eventData, int expected) {
    assertEquals(expected, StreamErrorStatus.of(eventData.getBytes(StandardCharsets.UTF_8)));
  }
}
