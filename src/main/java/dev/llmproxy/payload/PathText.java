package dev.llmproxy.payload;

import java.util.ArrayList;
import java.util.List;

/**
 * The lexical rules paths and queries share: a backslash takes the next character as it is, quotes ({@code "} or
 * {@code '}) hide what they hold, and parentheses nest. Stateless.
 */
final class PathText {
  private PathText() {}

  /** {@code text} cut at each {@code separator} outside quotes and parentheses; escapes are kept. */
  static List<String> split(String text, char separator) {
    return split(text, String.valueOf(separator));
  }

  /** {@code text} cut at each {@code separator} (one or more characters) outside quotes and parentheses. */
  static List<String> split(String text, String separator) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
      } else if (depth == 0 && text.startsWith(separator, i)) {
        parts.add(text.substring(start, i));
        i += separator.length() - 1;
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  /** Where the parenthesis opened by {@code part}'s {@code #(} closes, or -1. */
  static int closingParenthesis(String part) {
    int depth = 1;
    char quote = 0;
    for (int i = 2; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '\\') {
        i++;
      } else if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
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
