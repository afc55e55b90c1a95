package dev.llmproxy.auth;

import dev.llmproxy.config.Secrets;
import jakarta.servlet.ServletRequest;

/**
 * Who made a {@code /v1/*} request, as the logs name it: {@code user alice} (a principal the container
 * authenticated), {@code key sk-a...1234} (a masked API key) or {@code anonymous} (open access).
 * Immutable.
 *
 * <p>{@link ApiKeyFilter} decides it and hands it to the relay as one request attribute: the filter and
 * the servlet are separate container components, and the request is the only thing they share.
 */
public record ClientIdentity(Kind kind, String name) {
  /** The request attribute that carries the identity from {@link ApiKeyFilter} to the relay. */
  public static final String ATTRIBUTE = "dev.llmproxy.client-identity";
  public static final ClientIdentity ANONYMOUS = new ClientIdentity(Kind.ANONYMOUS, "");

  /** How the client was recognised. */
  public enum Kind { USER, API_KEY, ANONYMOUS }

  public static ClientIdentity user(String principalName) {
    return new ClientIdentity(Kind.USER, printable(principalName));
  }

  public static ClientIdentity apiKey(String key) {
    return new ClientIdentity(Kind.API_KEY, Secrets.mask(key));
  }

  /** The identity the filter recorded, or {@link #ANONYMOUS}. */
  public static ClientIdentity of(ServletRequest request) {
    return request.getAttribute(ATTRIBUTE) instanceof ClientIdentity id ? id : ANONYMOUS;
  }

  void attachTo(ServletRequest request) {
    request.setAttribute(ATTRIBUTE, this);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case USER -> "user " + name;
      case API_KEY -> "key " + name;
      case ANONYMOUS -> "anonymous";
    };
  }

  /** A principal name comes from an SSO system: keep it on one log line. */
  private static String printable(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), 200));
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return sb.toString();
  }
}
