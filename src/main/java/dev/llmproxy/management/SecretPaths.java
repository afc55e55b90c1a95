package dev.llmproxy.management;

import dev.llmproxy.config.Secrets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Knows which YAML paths of {@code config.yaml} hold secrets and how each is masked for display:
 * client and upstream keys, the management secret, the metrics token and provider headers as
 * {@code sk-o...b780}; proxy, Redis and JDBC URLs keep everything but their password, shown as {@code ...}, as are
 * trust-store and database passwords. A provider header is a secret unless its name is one of those known to carry
 * none ({@code X-Title}): providers name their credentials freely ({@code Ocp-Apim-Subscription-Key}). A value
 * holding an {@code ${ENV}} reference is not a secret (the file only names the variable) and is shown as
 * written. Stateless.
 */
final class SecretPaths {
  /** What a proxy password shows as; {@link #looksMasked} recognises it sent back. */
  static final String PASSWORD_MASK = "...";
  private static final Pattern URL_PASSWORD = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://[^:@/]*:)([^@/]+)(@.*)$");
  /** A Redis password runs to the last {@code @} (one from the environment may hold any character). */
  private static final Pattern REDIS_URL_PASSWORD = Pattern.compile("^(rediss?://[^:@/]*:)(.+)(@[^@]*)$",
      Pattern.CASE_INSENSITIVE);
  /** A JDBC URL's {@code password} property, in a query ({@code ?password=}) or H2's {@code ;password=}. */
  private static final Pattern JDBC_URL_PASSWORD = Pattern.compile("^(.*?[?&;]password=)([^&;]+)(.*)$",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  /** Provider headers shown as written: what OpenRouter and the SDKs send, which names an app or a version. */
  private static final Set<String> PLAIN_HEADERS = Set.of("http-referer", "referer", "x-title", "user-agent",
      "accept", "accept-language", "content-type", "anthropic-version", "anthropic-beta", "openai-beta",
      "openai-organization", "openai-project", "x-stainless-lang");

  private SecretPaths() {}

  /**
   * The family of secrets a path belongs to ({@code openai-compatibility[].api-key-entries[].api-key}),
   * or {@code null} when the path holds no secret. Masked values are matched within one family.
   */
  static String family(List<Object> path) {
    String pattern = pattern(path);
    switch (pattern) {
      case "api-keys[].key":
        // An object entry's key is the same kind of secret as a string entry.
        return "api-keys[]";
      case "api-keys[]":
      case "api-keys[].key-sha256":
      case "openai-compatibility[].api-key-entries[].api-key":
      case "remote-management.secret-key":
        return pattern;
      case "proxy-url":
      case "openai-compatibility[].api-key-entries[].proxy-url":
        return "proxy-url";
      case "state.redis-url":
      case "state.redis-trust-store-password":
      case "upstream.trust-store-password":
      case "metrics.token":
      case "usage.jdbc-url":
      case "usage.jdbc-password":
        return pattern;
      default:
        break;
    }
    if (path.size() == 4 && pattern.startsWith("openai-compatibility[].headers.")) {
      String header = String.valueOf(path.get(3)).toLowerCase(Locale.ROOT);
      return PLAIN_HEADERS.contains(header) ? null : "openai-compatibility[].headers." + header;
    }
    return null;
  }

  /** {@code value} as a GET shows it; unchanged when it is not a string or holds an {@code ${ENV}} reference. */
  static Object mask(String family, Object value) {
    if (!(value instanceof String s) || s.isEmpty() || s.contains("${")) {
      return value;
    }
    Matcher m = urlPassword(family, s);
    if (m != null) {
      // Proxy (and Redis) passwords are often short: any visible character would give away too much of them.
      return m.matches() ? m.group(1) + PASSWORD_MASK + m.group(3) : s;
    }
    if (family.endsWith("-password")) {
      return PASSWORD_MASK;
    }
    return Secrets.mask(s);
  }

  /** True when a client sent {@code value} of {@code family} back as it was displayed, masked. */
  static boolean looksMasked(String family, Object value) {
    if (!(value instanceof String s)) {
      return false;
    }
    Matcher m = urlPassword(family, s);
    if (m != null) {
      return m.matches() && m.group(2).equals(PASSWORD_MASK);
    }
    return Secrets.isMasked(s);
  }

  /** For a family of URLs with a password (group 2), the matcher over {@code url}; {@code null} for other families. */
  private static Matcher urlPassword(String family, String url) {
    return switch (family) {
      case "proxy-url" -> URL_PASSWORD.matcher(url);
      case "state.redis-url" -> REDIS_URL_PASSWORD.matcher(url);
      case "usage.jdbc-url" -> JDBC_URL_PASSWORD.matcher(url);
      default -> null;
    };
  }

  /** The YAML path with list indices dropped: {@code openai-compatibility[].models[].name}. */
  static String pattern(List<Object> path) {
    StringBuilder sb = new StringBuilder();
    for (Object segment : path) {
      if (segment instanceof Integer) {
        sb.append("[]");
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(segment);
      }
    }
    return sb.toString();
  }

  /** The YAML path as error messages spell it: {@code openai-compatibility[0].api-key-entries[1].api-key}. */
  static String display(List<Object> path) {
    StringBuilder sb = new StringBuilder();
    for (Object segment : path) {
      if (segment instanceof Integer i) {
        sb.append('[').append(i).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(segment);
      }
    }
    return sb.toString();
  }
}
