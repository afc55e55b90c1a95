package dev.llmproxy.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads a parameter from a request's query string alone. {@code ServletRequest.getParameter} also reads a form
 * body: a POST whose JSON is labelled {@code application/x-www-form-urlencoded} (curl's default for {@code -d})
 * would have its body consumed by the container, blocking, before the relay reads it asynchronously, and the
 * request would fail as if it had no body. Stateless.
 */
public final class QueryParameters {
  private QueryParameters() {}

  /** The first value of {@code name} in {@code query} (may be {@code null}), decoded; {@code null} when absent. */
  public static String first(String query, String name) {
    if (query == null) {
      return null;
    }
    int from = 0;
    while (from <= query.length()) {
      int end = query.indexOf('&', from);
      if (end < 0) {
        end = query.length();
      }
      int equals = query.indexOf('=', from);
      boolean hasValue = equals >= 0 && equals < end;
      String key = query.substring(from, hasValue ? equals : end);
      if (decode(key).equals(name)) {
        return hasValue ? decode(query.substring(equals + 1, end)) : "";
      }
      from = end + 1;
    }
    return null;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return text; // a broken escape: compare and use it as sent
    }
  }
}
