package dev.llmproxy.dialect.anthropic;

import dev.llmproxy.dialect.TokenCounter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the token counts of long texts. Claude Code sends the whole conversation on every turn (and
 * {@code count_tokens} before many of them): the same system prompt, tool schemas and history blocks, of
 * which only the newest are new. Tokenizing runs at a few MB/s (a 150k-token session is about 600 KB, tens
 * to hundreds of milliseconds of CPU), while hashing the same text costs about a millisecond; so texts of
 * {@value #MIN_CHARS} characters or more are counted once and looked up by a 64-bit FNV-1a hash of their
 * characters and their length. A collision would only skew an estimate. Short texts are counted directly
 * (hashing saves nothing there). At most {@value #MAX_ENTRIES} entries (about 1 MB); when full, the memo is
 * emptied and refills with what is in use. Thread-safe.
 */
final class TokenMemo {
  static final int MIN_CHARS = 512;
  static final int MAX_ENTRIES = 8192;
  private static final Map<Long, Integer> COUNTS = new ConcurrentHashMap<>();

  private TokenMemo() {}

  static int count(String text) {
    if (text.length() < MIN_CHARS) {
      return TokenCounter.count(text);
    }
    Long key = hash(text);
    Integer known = COUNTS.get(key);
    if (known != null) {
      return known;
    }
    int tokens = TokenCounter.count(text);
    if (COUNTS.size() >= MAX_ENTRIES) {
      COUNTS.clear();
    }
    COUNTS.put(key, tokens);
    return tokens;
  }

  private static long hash(String text) {
    long hash = 0xcbf29ce484222325L ^ text.length();
    for (int i = 0; i < text.length(); i++) {
      hash ^= text.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
