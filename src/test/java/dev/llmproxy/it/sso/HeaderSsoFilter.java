package dev.llmproxy.it.sso;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.security.Principal;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A stand-in for an SSO servlet filter (Keycloak, pac4j, Spring Security): it authenticates the caller
 * (here: trusts {@code X-Test-Sso-User: name; role1,role2}, as header-based SSO front ends do), then
 * wraps the request so {@code getUserPrincipal}, {@code getRemoteUser} and {@code isUserInRole} answer for
 * that user, and wraps the response too, exactly the way such filters do. Declared async-supported, as
 * any filter in front of a streaming servlet must be.
 *
 * <p>Packaged by the integration tests into a jar that is added to the container (never to the WAR).
 */
public final class HeaderSsoFilter extends HttpFilter {
  public static final String HEADER = "X-Test-Sso-User";

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String value = request.getHeader(HEADER);
    if (value == null || value.isBlank()) {
      chain.doFilter(request, response);
      return;
    }
    String[] parts = value.split(";", 2);
    String name = parts[0].trim();
    Set<String> roles = parts.length < 2 ? Set.of()
        : Arrays.stream(parts[1].split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    chain.doFilter(new SsoRequest(request, name, roles), new HttpServletResponseWrapper(response));
  }

  /** The request as the SSO filter presents it to the application. */
  static final class SsoRequest extends HttpServletRequestWrapper {
    private final Principal principal;
    private final Set<String> roles;

    SsoRequest(HttpServletRequest request, String name, Set<String> roles) {
      super(request);
      this.principal = () -> name;
      this.roles = roles;
    }

    @Override
    public Principal getUserPrincipal() {
      return principal;
    }

    @Override
    public String getRemoteUser() {
      return principal.getName();
    }

    @Override
    public boolean isUserInRole(String role) {
      return roles.contains(role);
    }

    @Override
    public String getAuthType() {
      return "TEST-SSO";
    }
  }
}
