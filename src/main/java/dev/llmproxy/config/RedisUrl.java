package dev.llmproxy.config;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A parsed {@code state.redis-url}: {@code redis://[[user]:password@]host[:port][/db]}, or {@code rediss://}
 * for TLS. Immutable; {@link #toString()} masks the password, so the value may be logged as it is.
 *
 * @param tls {@code rediss://}
 * @param username ACL user, {@code null} for the default user
 * @param password {@code null} when Redis asks for none
 * @param database the logical database, 0 unless the path names one
 */
public record RedisUrl(boolean tls, String host, int port, String username, String password, int database) {
  static final int DEFAULT_PORT = 6379;
  private static final String EXPECTED = "expected redis://[:password@]host[:port][/db] or rediss://... for TLS";

  /**
   * Parses a URL. The password is everything between the first {@code :} and the last {@code @}, so one taken from
   * the environment ({@code redis://:${REDIS_PASSWORD}@host}) may hold any character; {@code %XX} escapes in it are
   * decoded.
   *
   * @throws IllegalArgumentException with a message fit for a config error (never containing the password)
   */
  public static RedisUrl parse(String value) {
    String trimmed = value.trim();
    int schemeEnd = trimmed.indexOf("://");
    String scheme = schemeEnd <= 0 ? "" : trimmed.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    String rest = schemeEnd <= 0 ? trimmed : trimmed.substring(schemeEnd + 3);
    int at = rest.lastIndexOf('@');
    String userInfo = at < 0 ? null : rest.substring(0, at);
    String hostPart = rest.substring(at + 1);
    int colon = userInfo == null ? -1 : userInfo.indexOf(':');
    String shown = "'" + (schemeEnd <= 0 ? "" : scheme + "://")
        + (userInfo == null ? "" : (colon < 0 ? "<redacted>" : userInfo.substring(0, colon) + ":<redacted>") + "@")
        + hostPart + "'";
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException(shown + " is not a Redis URL; " + EXPECTED);
    }
    if (userInfo != null && colon < 0) {
      throw new IllegalArgumentException(shown + " has no ':' before the password; write :password@ (or "
          + "user:password@)");
    }
    URI uri;
    try {
      uri = new URI("redis://" + hostPart);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(shown + " is not a valid URL; " + EXPECTED);
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(shown + " has no valid host or port; " + EXPECTED);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(shown + " has options after '?' or '#', which are not supported; " + EXPECTED);
    }
    String user = colon <= 0 ? null : decode(userInfo.substring(0, colon));
    String pass = userInfo == null ? null : decode(userInfo.substring(colon + 1));
    return new RedisUrl(scheme.equals("rediss"), uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), user,
        pass, database(uri.getPath(), shown));
  }

  private static int database(String path, String shown) {
    if (path == null || path.isEmpty() || path.equals("/")) {
      return 0;
    }
    try {
      int db = Integer.parseInt(path.substring(1));
      if (db >= 0) {
        return db;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(shown + " names database '" + path.substring(1) + "'; expected a number such as "
        + "/0");
  }

  /** Decodes {@code %XX} escapes only: a {@code +} or a lone {@code %} stays as written. */
  private static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int hi = i + 2 < bytes.length && bytes[i] == '%' ? Character.digit(bytes[i + 1], 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(bytes[i + 2], 16);
      if (lo >= 0) {
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The URL with the password masked, for logs, errors and health output. */
  @Override
  public String toString() {
    String auth = password == null ? "" : (username == null ? "" : username) + ":<redacted>@";
    return (tls ? "rediss" : "redis") + "://" + auth + hostAndPort() + "/" + database;
  }

  /** {@code host:port}, the host in brackets when it is an IPv6 literal; no secret. */
  public String hostAndPort() {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }
}
