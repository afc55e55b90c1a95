package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretsTest {
  @ParameterizedTest
  @CsvSource({
      "sk-or-v1-abcdefb780, sk-o...b780",
      "12345678, 12...78",
      "abcd, a...d",
      "ab, ...",
      "'', ''"})
  void masksLikeCliProxyApi(String secret, String masked) {
    assertEquals(masked, Secrets.mask(secret));
  }
}
