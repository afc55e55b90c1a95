package dev.llmproxy.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code request-scoped-errors[]} rule of a provider: an upstream error whose status is
 * {@code status} (any status when absent) and whose body contains one of {@code match} or matches one
 * of {@code matchRegex} (when neither is given, the status alone decides) gets {@code action}. A
 * provider's rules are tried in order; the first that matches wins. Immutable.
 *
 * @param status the upstream status the rule is for, or {@code null} for any
 * @param match substrings of the error body, compared as written
 * @param matchRegex patterns searched for in the error body ({@code match-regexr} in the file)
 * @param action what to do with a matching error
 */
public record ErrorRule(Integer status, List<String> match, List<Pattern> matchRegex, ErrorAction action) {
  public ErrorRule {
    match = List.copyOf(match);
    matchRegex = List.copyOf(matchRegex);
  }

  public boolean matches(int upstreamStatus, String body) {
    if (status != null && status != upstreamStatus) {
      return false;
    }
    if (match.isEmpty() && matchRegex.isEmpty()) {
      return true;
    }
    return match.stream().anyMatch(body::contains) || matchRegex.stream().anyMatch(p -> p.matcher(body).find());
  }

  /** The action of the first of {@code rules} that matches, or {@code null}. */
  public static ErrorAction actionFor(List<ErrorRule> rules, int upstreamStatus, String body) {
    for (ErrorRule rule : rules) {
      if (rule.matches(upstreamStatus, body)) {
        return rule.action();
      }
    }
    return null;
  }
}
