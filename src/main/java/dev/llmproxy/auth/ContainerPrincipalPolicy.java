package dev.llmproxy.auth;

import dev.llmproxy.config.ClientAuthConfig;
import dev.llmproxy.config.RemoteManagementConfig;
import dev.llmproxy.config.RemoteManagementConfig.ManagementAuth;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;

/**
 * Decides what the servlet container's own authentication is worth: a user signed in through a
 * {@code security-constraint} with a realm, or through an SSO filter (Keycloak, pac4j, Spring Security,
 * ...) that wraps the request and answers {@link HttpServletRequest#getUserPrincipal()} and
 * {@link HttpServletRequest#isUserInRole(String)}. The gateway never authenticates users itself; it only
 * reads what the container established. Stateless and thread-safe.
 *
 * <h2>Management contract</h2>
 * The management API calls {@link #management(HttpServletRequest, RemoteManagementConfig)} first, before
 * looking at the management key, and acts on the verdict:
 * <ul>
 *   <li>{@link ManagementVerdict#GRANTED}: serve the call; do not require the key and do not apply the
 *       loopback-only rule of {@code allow-remote} (the container vouched for the user).
 *   <li>{@link ManagementVerdict#FORBIDDEN}: answer 403 and count nothing toward key lockout.
 *   <li>{@link ManagementVerdict#CHECK_KEY}: the usual key check (key, {@code allow-remote}, lockout).
 * </ul>
 * A filter that makes this call must be mapped after the deployment descriptor's filters
 * ({@code isMatchAfter = true}), or an SSO filter declared there has not run yet.
 */
public final class ContainerPrincipalPolicy {

  /** What management does with a request. */
  public enum ManagementVerdict { GRANTED, FORBIDDEN, CHECK_KEY }

  /** What the data plane does with a request. */
  public enum ClientVerdict {
    /** A signed-in user in the client role: no API key needed. */
    GRANTED,
    /** Decide by API key (api-key mode, or both mode without a usable principal). */
    CHECK_API_KEY,
    /** container mode and nobody signed in: 401. */
    NOT_SIGNED_IN,
    /** A signed-in user who lacks the client role (and, in both mode, sent no key): 403. */
    FORBIDDEN
  }

  private ContainerPrincipalPolicy() {}

  /** See the class comment for what each verdict obliges the management API to do. */
  public static ManagementVerdict management(HttpServletRequest request, RemoteManagementConfig config) {
    ManagementAuth auth = config.auth();
    if (!auth.usesContainer()) {
      return ManagementVerdict.CHECK_KEY;
    }
    boolean inRole = request.getUserPrincipal() != null && request.isUserInRole(config.role());
    return switch (auth) {
      case CONTAINER -> inRole ? ManagementVerdict.GRANTED : ManagementVerdict.FORBIDDEN;
      case KEY_OR_CONTAINER -> inRole ? ManagementVerdict.GRANTED : ManagementVerdict.CHECK_KEY;
      case KEY_AND_CONTAINER -> inRole ? ManagementVerdict.CHECK_KEY : ManagementVerdict.FORBIDDEN;
      case KEY -> ManagementVerdict.CHECK_KEY;
    };
  }

  /** The data-plane decision for {@code client-auth} and {@code client-role}. */
  public static ClientVerdict client(HttpServletRequest request, ClientAuthConfig config,
      boolean apiKeyPresented) {
    if (!config.acceptsContainerPrincipal()) {
      return ClientVerdict.CHECK_API_KEY;
    }
    Principal principal = request.getUserPrincipal();
    if (principal != null && (config.role().isEmpty() || request.isUserInRole(config.role()))) {
      return ClientVerdict.GRANTED;
    }
    if (config.acceptsApiKey() && (principal == null || apiKeyPresented)) {
      return ClientVerdict.CHECK_API_KEY;
    }
    return principal == null ? ClientVerdict.NOT_SIGNED_IN : ClientVerdict.FORBIDDEN;
  }
}
