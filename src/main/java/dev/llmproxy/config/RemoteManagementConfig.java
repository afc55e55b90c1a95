package dev.llmproxy.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code remote-management:} settings. Immutable; {@link #toString()} hides the secret.
 *
 * @param secretKey management key as resolved from the file (plaintext or a bcrypt hash); empty = management off
 * @param allowRemote accept management calls from non-loopback addresses (default false)
 * @param lockout how long an address is refused after 5 failed key checks (default 30 minutes; zero = never)
 * @param trustedProxies peers whose {@code X-Forwarded-For} is believed (default none: the peer address is the client)
 */
public record RemoteManagementConfig(String secretKey, boolean allowRemote, Duration lockout,
    List<AddressRange> trustedProxies) {

  public static final Duration DEFAULT_LOCKOUT = Duration.ofMinutes(30);
  public static final RemoteManagementConfig DEFAULT = new RemoteManagementConfig("", false);

  public RemoteManagementConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }

  public RemoteManagementConfig(String secretKey, boolean allowRemote) {
    this(secretKey, allowRemote, DEFAULT_LOCKOUT, List.of());
  }

  public boolean enabled() {
    return !secretKey.isEmpty();
  }

  @Override
  public String toString() {
    return "RemoteManagementConfig[secretKey=" + (secretKey.isEmpty() ? "" : "<redacted>")
        + ", allowRemote=" + allowRemote + ", lockout=" + lockout + ", trustedProxies=" + trustedProxies + "]";
  }
}
