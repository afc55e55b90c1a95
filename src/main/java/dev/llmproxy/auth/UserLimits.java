package dev.llmproxy.auth;

import dev.llmproxy.config.LimitsConfig;
import dev.llmproxy.config.UserLimitsConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code user-limits} of one snapshot: a user's own entry wins, else the first role entry (in file order) whose
 * role the container says the user has. Immutable and thread-safe.
 */
final class UserLimits {
  private final Map<String, LimitsConfig> byUser = new HashMap<>();
  private final List<UserLimitsConfig> byRole;

  UserLimits(List<UserLimitsConfig> entries) {
    for (UserLimitsConfig e : entries) {
      if (!e.user().isEmpty()) {
        byUser.putIfAbsent(e.user(), e.limits());
      }
    }
    this.byRole = entries.stream().filter(e -> !e.role().isEmpty()).toList();
  }

  /** The limits of the signed-in {@code user}, or {@code null} when no entry applies. */
  LimitsConfig of(HttpServletRequest request, String user) {
    LimitsConfig own = byUser.get(user);
    if (own != null) {
      return own;
    }
    for (UserLimitsConfig e : byRole) {
      if (request.isUserInRole(e.role())) {
        return e.limits();
      }
    }
    return null;
  }
}
