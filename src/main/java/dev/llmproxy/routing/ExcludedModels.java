package dev.llmproxy.routing;

import java.util.List;
import java.util.Locale;

/**
 * Matches model ids against {@code excluded-models} patterns: {@code exact}, {@code prefix*},
 * {@code *suffix}, {@code *infix*} and in general any pattern whose {@code *}s stand for any text,
 * case-insensitively. Stateless.
 */
public final class ExcludedModels {
  private ExcludedModels() {}

  public static boolean matchesAny(List<String> patterns, String modelId) {
    if (patterns.isEmpty() || modelId == null) {
      return false;
    }
    String id = modelId.toLowerCase(Locale.ROOT);
    for (String p : patterns) {
      if (matches(p.toLowerCase(Locale.ROOT), id)) {
        return true;
      }
    }
    return false;
  }

  /** Glob match where '*' is the only wildcard; both arguments already lower-cased. */
  static boolean matches(String pattern, String id) {
    if (pattern.indexOf('*') < 0) {
      return pattern.equals(id);
    }
    String[] pieces = pattern.split("\\*", -1);
    String first = pieces[0];
    String last = pieces[pieces.length - 1];
    if (!id.startsWith(first) || id.length() < first.length() + last.length() || !id.endsWith(last)) {
      return false;
    }
    int from = first.length();
    int end = id.length() - last.length();
    for (int i = 1; i < pieces.length - 1; i++) {
      String piece = pieces[i];
      int at = id.indexOf(piece, from);
      if (at < 0 || at + piece.length() > end) {
        return false;
      }
      from = at + piece.length();
    }
    return true;
  }
}
