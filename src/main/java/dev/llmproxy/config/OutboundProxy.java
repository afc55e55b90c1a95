package dev.llmproxy.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where an upstream connection goes out: directly, or through an HTTP proxy (CONNECT for https upstreams)
 * or a SOCKS5 proxy. Immutable. {@link #toString()} never shows the password; {@link #poolKey()} identifies the
 * connection pool this proxy needs (the password is part of that identity but is not printed).
 */
public record OutboundProxy(Kind kind, String host, int port, String username, String password) {

  /** The kinds of outbound route. SOCKS5H resolves host names at the proxy, SOCKS5 locally. */
  public enum Kind { DIRECT, HTTP, SOCKS5, SOCKS5H }

  /**
   * Why {@code https://} proxy URLs are refused. HttpClient 5.6's async client does open TLS to such a
   * proxy, but then cannot start the upstream's TLS inside that TLS session: HttpCore's
   * {@code InternalDataChannel.startTls} fails with "TLS already activated". Refusing at load time is
   * clearer than a 502 on every request.
   */
  static final String HTTPS_UNSUPPORTED = "https:// proxies (TLS to the proxy) are not supported: HttpClient 5 "
      + "cannot run an https upstream's TLS inside a TLS connection to the proxy; use http:// (CONNECT keeps "
      + "the upstream's TLS end to end) or socks5://";

  public static final OutboundProxy DIRECT = new OutboundProxy(Kind.DIRECT, null, 0, null, null);

  /**
   * Parses a {@code proxy-url} value. Returns {@code null} for blank (meaning "inherit"), {@link #DIRECT}
   * for {@code direct}/{@code none}.
   *
   * @throws IllegalArgumentException with a message fit for a config error (never containing the password)
   */
  public static OutboundProxy parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    if (trimmed.equalsIgnoreCase("direct") || trimmed.equalsIgnoreCase("none")) {
      return DIRECT;
    }
    int schemeEnd = trimmed.indexOf("://");
    if (schemeEnd <= 0) {
      throw new IllegalArgumentException(
          "'" + redact(trimmed) + "' is not a proxy URL; expected http://, socks5://, socks5h:// or direct");
    }
    String scheme = trimmed.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    Kind kind = switch (scheme) {
      case "http" -> Kind.HTTP;
      case "https" -> throw new IllegalArgumentException(HTTPS_UNSUPPORTED);
      case "socks5" -> Kind.SOCKS5;
      case "socks5h" -> Kind.SOCKS5H;
      default -> throw new IllegalArgumentException(
          "unknown scheme '" + scheme + "'; expected http, socks5, socks5h or direct");
    };
    URI uri;
    try {
      uri = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + redact(trimmed) + "' is not a valid URL");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("'" + redact(trimmed) + "' has no host");
    }
    int port = uri.getPort();
    if (port < 0) {
      port = kind == Kind.HTTP ? 80 : 1080;
    } else if (port == 0 || port > 65535) {
      throw new IllegalArgumentException("'" + redact(trimmed) + "' has port " + port + "; expected 1 to 65535");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      // A proxy is a host and a port: a path or query (a token in it, say) would be dropped without a word.
      throw new IllegalArgumentException("'" + redact(withoutPathAndQuery(trimmed))
          + "' has a path or query; a proxy URL is scheme://[user:password@]host:port");
    }
    String user = null;
    String pass = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      pass = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    return new OutboundProxy(kind, uri.getHost(), port, user, pass);
  }

  public boolean isDirect() {
    return kind == Kind.DIRECT;
  }

  public boolean isSocks() {
    return kind == Kind.SOCKS5 || kind == Kind.SOCKS5H;
  }

  /** A stable identity for connection pooling; contains the password, so never log it. */
  public String poolKey() {
    if (isDirect()) {
      return "direct";
    }
    return kind + "|" + host + "|" + port + "|" + (username == null ? "" : username) + "|"
        + (password == null ? "" : Integer.toHexString(password.hashCode()));
  }

  /** The URL with the password masked, for logs and management responses. */
  @Override
  public String toString() {
    if (isDirect()) {
      return "direct";
    }
    String auth = username == null ? "" : username + (password == null ? "" : ":<redacted>") + "@";
    return kind.name().toLowerCase(Locale.ROOT) + "://" + auth + host + ":" + port;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** Masks a password in a user-supplied URL so it can appear in an error message. */
  static String redact(String url) {
    return url.replaceAll("://([^:/@]*):[^@/]*@", "://$1:<redacted>@");
  }

  /** {@code url} up to its authority: what follows may be a secret of its own, never shown. */
  private static String withoutPathAndQuery(String url) {
    int authority = url.indexOf("://") + 3;
    int end = authority;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    return url.substring(0, end) + "/...";
  }
}
