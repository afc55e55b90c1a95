package dev.llmproxy.dialect.anthropic;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Fresh ids in Anthropic's style: {@code msg_} for messages, {@code toolu_} for tool calls an upstream sent
 * without an id, each followed by 24 base-62 characters (about 143 bits, so collisions are not a concern
 * for ids that only have to be unique within a conversation). Thread-safe.
 */
final class RandomIds {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final int LENGTH = 24;

  private RandomIds() {}

  static String message() {
    return withPrefix("msg_");
  }

  static String toolUse() {
    return withPrefix("toolu_");
  }

  private static String withPrefix(String prefix) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder id = new StringBuilder(prefix.length() + LENGTH).append(prefix);
    for (int i = 0; i < LENGTH; i++) {
      id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return id.toString();
  }
}
