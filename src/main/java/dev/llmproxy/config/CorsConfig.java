package dev.llmproxy.config;

import java.util.List;

/**
 * {@code cors:} which web origins may call {@code /v1} from a browser. Empty (the default): none, so a
 * web page cannot use the gateway from its visitors' browsers, which matters most for a gateway without
 * client keys on an internal network. {@code "*"} allows every origin; cross-origin requests never
 * carry cookies either way, so a container's single sign-on session is not usable from another site.
 * Immutable.
 *
 * @param allowedOrigins {@code "*"} or origins written as {@code scheme://host[:port]}
 */
public record CorsConfig(List<String> allowedOrigins) {
  public static final CorsConfig NONE = new CorsConfig(List.of());

  public CorsConfig {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  public boolean allowsAnyOrigin() {
    return allowedOrigins.contains("*");
  }

  /** Whether {@code origin} (an {@code Origin} header value) may call the API. */
  public boolean allows(String origin) {
    return origin != null && (allowsAnyOrigin() || allowedOrigins.stream().anyMatch(origin::equalsIgnoreCase));
  }
}
