package dev.llmproxy.management;

import java.util.Map;

/** The success body of management writes, {@code {"status":"ok"}}, and small shared request checks. */
final class Ok {
  static final Map<String, Object> BODY = Map.of("status", "ok");

  private Ok() {}

  /**
   * A list index from a query parameter: none is 400 {@code missing} (CLIProxyAPI's wording), and one that is not a
   * number of 0 or more is 400 {@code invalid parameter} saying so, since "missing" would send the caller looking
   * for the wrong mistake.
   */
  static int parseIndex(String index, String missing) {
    if (index == null || index.isBlank()) {
      throw new ManagementException(400, missing, null);
    }
    try {
      int i = Integer.parseInt(index.trim());
      if (i >= 0) {
        return i;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ManagementException(400, "invalid parameter", "index must be a number of 0 or more, not '" + index
        + "'");
  }
}
