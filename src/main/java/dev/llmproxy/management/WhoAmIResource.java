package dev.llmproxy.management;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v0/management/whoami}: who the management API takes the caller for, so the admin page
 * knows whether to show its sign-in form. {@code {"auth":"key"|"container","user":<name or null>,
 * "version":<gateway version>}}: {@code container} when the container vouched for a user in the
 * management role (no key needed, nothing to sign out of here); {@code key} when the management key
 * let the call in ({@code user} is the container's user, if any, in {@code key-and-container} mode).
 * A caller who is not signed in gets the auth filter's answer (401, 403, or 404 when management is
 * off) and never reaches this class. Immutable, thread-safe.
 */
@Path(WhoAmIResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public final class WhoAmIResource {
  static final String PATH = "whoami";

  private final String version;

  WhoAmIResource(String version) {
    this.version = version;
  }

  @GET
  public Map<String, Object> get(@Context HttpServletRequest request) {
    Principal user = request.getUserPrincipal();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("auth", String.valueOf(request.getAttribute(ManagementAuthFilter.SIGNED_IN_BY)));
    body.put("user", user == null ? null : user.getName());
    body.put("version", version);
    return body;
  }
}
