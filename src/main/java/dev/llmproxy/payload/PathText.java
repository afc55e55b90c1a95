package dev.llmproxy.payload;

import java.util.ArrayList;
import java.util.List;

/**
 * The lexical rules paths and queries share: a backslash takes the next character as it is, quotes ({@code "} or
 * {@code '}) hide what they hold, and parentheses nest. Stateless.
 */
final class PathText {
  private PathText() {}

  /** Decides, for each character outside quotes and escapes, whether the scan stops there. */
  @FunctionalInterface
  interface Stop {
    /** @param depth how many parentheses are open before {@code c}, counted from where the scan began */
    boolean at(int index, char c, int depth);
  }

  /** The first index from {@code from} where {@code stop} says so, skipping quoted and escaped text; -1 if none. */
  static int find(String text, int from, Stop stop) {
    int depth = 0;
    char quote = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (stop.at(i, c, depth)) {
        return i;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
      }
    }
    return -1;
  }

  /** {@code text} cut at each {@code separator} (one or more characters) outside quotes and parentheses. */
  static List<String> split(String text, String separator) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    int at;
    while ((at = find(text, start, (i, c, depth) -> depth == 0 && text.startsWith(separator, i))) >= 0) {
      parts.add(text.substring(start, at));
      start = at + separator.length();
    }
    parts.add(text.substring(start));
    return parts;
  }

  /** Where the parenthesis opened by {@code part}'s leading {@code #(} closes, or -1. */
  static int closingParenthesis(String part) {
    return find(part, 2, (i, c, depth) -> c == ')' && depth == 0);
  }

  /** {@code part} with each backslash escape replaced by the character it escapes. */
  static String unescape(String part) {
    if (part.indexOf('\\') < 0) {
      return part;
    }
    StringBuilder out = new StringBuilder(part.length());
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '\\' && i + 1 < part.length()) {
        c = part.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }
}
