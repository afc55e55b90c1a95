package dev.llmproxy.config;

/**
 * How {@code /v1/*} clients prove who they are ({@code client-auth}, {@code client-role}). Immutable.
 *
 * <p>Defaults: {@code client-auth: api-key}, {@code client-role: ""}.
 *
 * @param mode which credentials are accepted
 * @param role with {@link Mode#CONTAINER} or {@link Mode#BOTH}: the container role a signed-in user needs
 *     ({@code request.isUserInRole}); empty = any user the container authenticated
 */
public record ClientAuthConfig(Mode mode, String role) {

  /** Which credentials a client may present. */
  public enum Mode {
    /** Only the {@code api-keys} (an empty list means open access). The container's principal is ignored. */
    API_KEY,
    /** Only a user the container (a {@code security-constraint} or an SSO filter) authenticated. */
    CONTAINER,
    /** Either: a signed-in user passes without a key, machines keep using API keys. */
    BOTH
  }

  public static final ClientAuthConfig DEFAULT = new ClientAuthConfig(Mode.API_KEY, "");

  public ClientAuthConfig {
    role = role == null ? "" : role.trim();
  }

  public boolean acceptsContainerPrincipal() {
    return mode != Mode.API_KEY;
  }

  public boolean acceptsApiKey() {
    return mode != Mode.CONTAINER;
  }
}
