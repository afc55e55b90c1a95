package dev.llmproxy.config;

/**
 * {@code remote-management:} settings. Immutable; {@link #toString()} hides the secret.
 *
 * @param secretKey management key as written in the file (plaintext or a bcrypt hash); empty = management off
 * @param allowRemote accept management calls from non-loopback addresses (default false)
 */
public record RemoteManagementConfig(String secretKey, boolean allowRemote) {

  public static final RemoteManagementConfig DEFAULT = new RemoteManagementConfig("", false);

  public boolean enabled() {
    return !secretKey.isEmpty();
  }

  @Override
  public String toString() {
    return "RemoteManagementConfig[secretKey=" + (secretKey.isEmpty() ? "" : "<redacted>")
        + ", allowRemote=" + allowRemote + "]";
  }
}
