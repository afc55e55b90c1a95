package dev.llmproxy.testing;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A user name and password for an outbound proxy under test.
 *
 * <p>Immutable. Both parts are limited to URL-safe characters so they can sit in a proxy URL unescaped. {@link
 * #toString()} hides the password.
 */
public record ProxyCredentials(String user, String password) {

  private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9._~-]+");

  /** Validates both parts. */
  public ProxyCredentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (!URL_SAFE.matcher(user).matches() || !URL_SAFE.matcher(password).matches()) {
      throw new IllegalArgumentException("proxy user and password must match " + URL_SAFE);
    }
  }

  /** {@code user:password@}, ready to put in front of a host. */
  String userInfo() {
    return user + ":" + password + "@";
  }

  @Override
  public String toString() {
    return "ProxyCredentials[user=" + user + ", password=<redacted>]";
  }
}
