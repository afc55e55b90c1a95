package dev.llmproxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Checks a presented client key against the configured {@code api-keys} in constant time: every
 * configured key is compared (with {@link MessageDigest#isEqual}) whatever the outcome, so timing
 * reveals neither which key matched nor how much of it. Immutable.
 */
public final class ClientKeys {
  private final List<byte[]> keys;

  public ClientKeys(List<String> apiKeys) {
    this.keys = apiKeys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
  }


  public boolean accepts(String presented) {
    if (presented == null || presented.isEmpty()) {
      return false;
    }
    byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] key : keys) {
      match |= MessageDigest.isEqual(key, candidate);
    }
    return match;
  }
}
