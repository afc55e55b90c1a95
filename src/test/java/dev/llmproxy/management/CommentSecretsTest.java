package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommentSecretsTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "` api-key: sk-live-0123456789-beef`| ` api-key: sk-l...beef`",
      "`  secret-key: \"mgmt-secret-0123456789\"  # old`| `  secret-key: \"mgmt...6789\"  # old`",
      "` Authorization: Bearer abcdefgh12345678`| ` Authorization: Bearer abcd...5678`",
      "`  - \"sk-or-v1-0123456789abcdef\"`| `  - \"sk-o...cdef\"`",
      "` api-key: \"${ALPHA_KEY}\"`| ` api-key: \"${ALPHA_KEY}\"`",
      "` api-key: sk-l...beef`| ` api-key: sk-l...beef`",
      "` api-keys: the client keys, one a line`| ` api-keys: the client keys, one a line`",
      "` max-tokens: 4096000000`| ` max-tokens: 4096000000`",
      "` see https://example.com/ask-questions-here`| ` see https://example.com/ask-questions-here`"})
  void masksSecretLookingValuesOnly(String comment, String shown) {
    assertEquals(shown, CommentSecrets.maskComment(comment));
  }

  @Test
  void aWindowsFileKeepsItsByteOrderMarkAndCrlfAndComesBackWhole() {
    String text = "\uFEFF# keys\r\napi-keys:\r\n  - \"client-key-0001-aaaa\"\r\n#  - \"sk-old-0123456789-dead\"\r\n";

    String masked = CommentSecrets.mask(text);

    assertEquals("\uFEFF# keys\r\napi-keys:\r\n  - \"client-key-0001-aaaa\"\r\n#  - \"sk-o...dead\"\r\n", masked);
    assertEquals(text, CommentSecrets.restore(text, masked));
  }
}
