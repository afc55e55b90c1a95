package dev.llmproxy.auth;

import dev.llmproxy.config.ClientKeyConfig;
import dev.llmproxy.config.LimitsConfig;
import jakarta.servlet.ServletRequest;

/**
 * Who made a {@code /v1/*} request, as the logs and usage records name it: {@code user alice} (a principal the
 * container authenticated), {@code key team-a} (a named key), {@code key sk-a...1234} (an unnamed key, masked),
 * {@code key sha256:0a1b2c3d4e5f} (an unnamed key the file holds only hashed) or {@code anonymous} (open access);
 * and the limits that apply to it. Immutable.
 *
 * <p>{@link ApiKeyFilter} decides it and hands it to the relay as one request attribute: the filter and
 * the servlet are separate container components, and the request is the only thing they share.
 *
 * @param limitId what the client's limit counters are named by: {@code key:} and 16 hex digits of the key's
 *     SHA-256 (stable across renames and reloads, and no secret), or {@code user:} and the user name
 * @param limits what the client may do, or {@code null} when nothing limits it
 */
public record ClientIdentity(Kind kind, String name, String limitId, LimitsConfig limits) {
  /** The request attribute that carries the identity from {@link ApiKeyFilter} to the relay. */
  public static final String ATTRIBUTE = "dev.llmproxy.client-identity";
  public static final ClientIdentity ANONYMOUS = new ClientIdentity(Kind.ANONYMOUS, "", "", null);

  /** How the client was recognised. */
  public enum Kind { USER, API_KEY, ANONYMOUS }

  public ClientIdentity {
    limits = limits == null || limits.isEmpty() ? null : limits;
  }

  /** A signed-in user without limits. */
  public static ClientIdentity user(String principalName) {
    return user(principalName, null);
  }

  /** A signed-in user with the limits of their {@code user-limits} entry, or {@code null}. */
  public static ClientIdentity user(String principalName, LimitsConfig limits) {
    String name = printable(principalName);
    return new ClientIdentity(Kind.USER, name, "user:" + name, limits);
  }

  /** A client that presented the key of {@code entry}. */
  public static ClientIdentity apiKey(ClientKeyConfig entry) {
    return new ClientIdentity(Kind.API_KEY, entry.label(), limitIdOf(entry), entry.limits());
  }

  /** The counter name of a key's limits: 64 bits of its hash, unique among any realistic number of keys. */
  public static String limitIdOf(ClientKeyConfig entry) {
    return "key:" + entry.sha256().substring(0, 16);
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
