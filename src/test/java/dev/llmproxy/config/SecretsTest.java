package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
    assertEquals(!masked.isEmpty(), Secrets.isMasked(masked), "a mask is recognised sent back");
  }

  @ParameterizedTest
  @CsvSource({
      "$2a$10$Oy2f29uuJd1Q2P8kCBjQ6eDW5hnSmryjrF716brolBzJIKVbG...S", // a bcrypt hash the CI once drew
      "sk-live-a...b-0123456789",
      "sk-o...b780x",
      "a...bc",
      "....",
      "sk-o..b780"})
  void aSecretThatOnlyContainsThreeDotsIsNoMask(String secret) {
    assertFalse(Secrets.isMasked(secret));
  }
}
