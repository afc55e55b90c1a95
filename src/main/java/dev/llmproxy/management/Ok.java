package dev.llmproxy.management;

import java.util.Map;

/** The success body of management writes, {@code {"status":"ok"}}, and small shared request checks. */
final class Ok {
  static final Map<String, Object> BODY = Map.of("status", "ok");

  private Ok() {}

  /** A non-negative list index from a query parameter, or 400 with {@code error} (CLIProxyAPI's wording). */
  static int parseIndex(String index, String error) {
    try {
      int i = Integer.parseInt(index == null ? "" : index.trim());
      if (i >= 0) {
        return i;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ManagementException(400, error, null);
  }
}
