package dev.llmproxy.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a client may put its key: {@code Authorization: Bearer}, {@code X-Api-Key},
 * {@code X-Goog-Api-Key}, or the {@code key} query parameter. Stateless.
 */
final class PresentedKeys {
  private PresentedKeys() {}

  static List<String> from(HttpServletRequest request) {
    List<String> found = new ArrayList<>(2);
    String authorization = request.getHeader("Authorization");
    if (authorization != null && !authorization.isBlank()) {
      String value = authorization.trim();
      if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        value = value.substring(7).trim();
      }
      found.add(value);
    }
    addIfPresent(found, request.getHeader("X-Api-Key"));
    addIfPresent(found, request.getHeader("X-Goog-Api-Key"));
    String query = request.getQueryString();
    if (query != null && query.contains("key=")) {
      addIfPresent(found, QueryParameters.first(query, "key"));
    }
    return found;
  }

  private static void addIfPresent(List<String> found, String value) {
    if (value != null && !value.isBlank()) {
      found.add(value.trim());
    }
  }
}
