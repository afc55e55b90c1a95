package dev.llmproxy.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code remote-management:} settings. Immutable; {@link #toString()} hides the secret.
 *
 * @param secretKey management key as resolved from the file (plaintext or a bcrypt hash); empty = no key
 * @param allowRemote accept key-authenticated management calls from non-loopback addresses (default false)
 * @param auth who may use management: the key (default), the container's signed-in users in {@code role}, or
 *     a combination
 * @param role the container role that grants management when {@code auth} involves the container (default
 *     {@value #DEFAULT_ROLE})
 * @param lockout how long key checks from an address stay throttled after 5 failures (25 from all addresses);
 *     default 30 minutes; zero = never
 * @param trustedProxies peers whose {@code X-Forwarded-For} is believed (default none: the peer address is the client);
 *     the example client key's loopback-only check reads them too
 */
public record RemoteManagementConfig(String secretKey, boolean allowRemote, ManagementAuth auth, String role,
    Duration lockout, List<AddressRange> trustedProxies) {

  public static final String DEFAULT_ROLE = "llm-proxy-admin";
  public static final Duration DEFAULT_LOCKOUT = Duration.ofMinutes(30);
  public static final RemoteManagementConfig DEFAULT = new RemoteManagementConfig("", false);

  /** {@code remote-management.auth}. */
  public enum ManagementAuth {
    /** The management key only (CLIProxyAPI's behaviour). */
    KEY,
    /** A user the container authenticated, in {@code role}; the key is not accepted. */
    CONTAINER,
    /** Either a user in {@code role} or the key (scripts keep using the key). */
    KEY_OR_CONTAINER,
    /** A user in {@code role} who also sends the key. */
    KEY_AND_CONTAINER;

    public boolean usesContainer() {
      return this != KEY;
    }
  }

  public RemoteManagementConfig {
    auth = auth == null ? ManagementAuth.KEY : auth;
    role = role == null || role.isBlank() ? DEFAULT_ROLE : role.trim();
    lockout = lockout == null ? DEFAULT_LOCKOUT : lockout;
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
  }

  /** Key-only management with default lockout and no trusted proxies. */
  public RemoteManagementConfig(String secretKey, boolean allowRemote) {
    this(secretKey, allowRemote, ManagementAuth.KEY, DEFAULT_ROLE, DEFAULT_LOCKOUT, List.of());
  }

  /** Management answers at all: a key is set, or the container may vouch for administrators. */
  public boolean enabled() {
    return switch (auth) {
      case KEY, KEY_AND_CONTAINER -> !secretKey.isEmpty();
      case CONTAINER, KEY_OR_CONTAINER -> true;
    };
  }

  @Override
  public String toString() {
    return "RemoteManagementConfig[secretKey=" + (secretKey.isEmpty() ? "" : "<redacted>")
        + ", allowRemote=" + allowRemote + ", auth=" + auth + ", role=" + role + ", lockout=" + lockout
        + ", trustedProxies=" + trustedProxies + "]";
  }
}
