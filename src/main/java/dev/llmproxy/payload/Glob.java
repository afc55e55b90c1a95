package dev.llmproxy.payload;

/**
 * A pattern where {@code *} stands for any text and {@code ?} for one character: a rule's model names and
 * header values, and a query's {@code %}. Stateless.
 */
final class Glob {
  private Glob() {}

  /** Whether all of {@code text} matches {@code pattern}; greedy with backtracking to the last star, linear. */
  static boolean matches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int afterStar = 0;
    while (t < text.length()) {
      if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        afterStar = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++afterStar;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
