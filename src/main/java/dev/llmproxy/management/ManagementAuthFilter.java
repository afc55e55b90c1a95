package dev.llmproxy.management;

import dev.llmproxy.auth.ContainerPrincipalPolicy;
import dev.llmproxy.config.RemoteManagementConfig;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.SnapshotHolder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards {@code /v0/management/*}, reading the running snapshot on every request so enabling, disabling
 * or re-keying takes effect with the next reload. Checks in CLIProxyAPI's order, with its bodies:
 * no {@code secret-key} → 404, empty body; address locked out → 403 {@code IP banned ...}; not
 * loopback without {@code allow-remote} → 403 {@code remote management disabled}; no key → 401
 * {@code missing management key}; wrong key → 401 {@code invalid management key}. Missing and wrong
 * keys count toward the lockout, except a bare {@code GET whoami} without any key: that is the admin
 * page asking whether it must show its sign-in form, not a guess. Runs after any container security (a
 * {@code security-constraint} or SSO filter declared in web.xml guards management on top of the key).
 * A served request carries {@link #SIGNED_IN_BY} ({@code "container"} or {@code "key"}). Thread-safe.
 */
public final class ManagementAuthFilter extends HttpFilter {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementAuthFilter.class);

  /** Request attribute naming what let a served request in: {@code "container"} or {@code "key"}. */
  public static final String SIGNED_IN_BY = ManagementAuthFilter.class.getName() + ".signedInBy";

  private final transient SnapshotHolder snapshots;
  private final transient LoginLockout lockout;
  private final transient ManagementKeyVerifier verifier;

  ManagementAuthFilter(SnapshotHolder snapshots, LoginLockout lockout, ManagementKeyVerifier verifier) {
    this.snapshots = snapshots;
    this.lockout = lockout;
    this.verifier = verifier;
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    GatewaySnapshot snapshot = snapshots.current();
    RemoteManagementConfig config = snapshot == null ? null : snapshot.config().remoteManagement();
    if (config == null || !config.enabled()) {
      response.setStatus(404);
      response.setContentLength(0);
      return;
    }
    if (admit(request, response, config)) {
      chain.doFilter(request, response);
    }
  }

  /**
   * The management check for an enabled management config: true when the request may go on (with
   * {@code Cache-Control: no-store} set); otherwise the rejection has been written. Also guards
   * {@code /metrics} for management's key and role.
   */
  boolean admit(HttpServletRequest request, HttpServletResponse response, RemoteManagementConfig config)
      throws IOException {
    // Container security (a security-constraint or SSO filter) decides first when auth involves it.
    switch (ContainerPrincipalPolicy.management(request, config)) {
      case GRANTED -> {
        return admitted(request, response, "container");
      }
      case FORBIDDEN -> {
        reject(response, 403, "management requires a signed-in user in role " + config.role());
        return false;
      }
      default -> { }
    }
    String address = ClientAddressPolicy.clientAddress(request.getRemoteAddr(), request.getHeaders("X-Forwarded-For"),
        config);
    Duration locked = lockout.remaining(address);
    if (!locked.isZero()) {
      reject(response, 403, "IP banned due to too many failed attempts. Try again in " + format(locked));
      return false;
    }
    if (!ClientAddressPolicy.isAllowed(address, config)) {
      LOG.info("Management request from non-loopback address {} refused (remote-management.allow-remote is false)",
          address);
      reject(response, 403, "remote management disabled");
      return false;
    }
    List<String> keys = presentedKeys(request);
    boolean ok = false;
    for (String key : keys) {
      if (verifier.matches(key, config.secretKey())) {
        ok = true;
        break;
      }
    }
    if (!ok) {
      if (keys.isEmpty() && isSignInProbe(request)) {
        reject(response, 401, "missing management key");
        return false;
      }
      if (lockout.onFailure(address, config.lockout())) {
        LOG.warn("Management locked for {} after {} failed key checks", address, LoginLockout.MAX_FAILURES);
      }
      reject(response, 401, keys.isEmpty() ? "missing management key" : "invalid management key");
      return false;
    }
    lockout.onSuccess(address);
    return admitted(request, response, "key");
  }

  /** Marks how the request was let in ({@code container} or {@code key}) and keeps its answer out of caches. */
  private static boolean admitted(HttpServletRequest request, HttpServletResponse response, String signedInBy) {
    request.setAttribute(SIGNED_IN_BY, signedInBy);
    response.setHeader("Cache-Control", "no-store");
    return true;
  }

  /** {@code GET whoami}: asks who the caller is, guesses nothing. */
  private static boolean isSignInProbe(HttpServletRequest request) {
    String path = request.getPathInfo();
    return "GET".equals(request.getMethod()) && path != null && path.equals("/" + WhoAmIResource.PATH);
  }

  /** Bearer token, then {@code X-Management-Key}, then any other {@code Authorization} value as is. */
  private static List<String> presentedKeys(HttpServletRequest request) {
    List<String> keys = new ArrayList<>();
    String authorization = request.getHeader("Authorization");
    String raw = null;
    if (authorization != null && !authorization.isBlank()) {
      if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        addIfPresent(keys, authorization.substring(7));
      } else {
        raw = authorization;
      }
    }
    addIfPresent(keys, request.getHeader("X-Management-Key"));
    addIfPresent(keys, raw);
    return keys;
  }

  private static void addIfPresent(List<String> keys, String value) {
    if (value != null && !value.isBlank()) {
      keys.add(value.trim());
    }
  }

  static void reject(HttpServletResponse response, int status, String error) throws IOException {
    new ManagementErrorBody(error, null, null).write(response, status);
  }

  /** Like Go's duration text, which CLIProxyAPI prints here: {@code 29m59s}. */
  static String format(Duration d) {
    long seconds = Math.max(1, d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0));
    StringBuilder sb = new StringBuilder();
    if (seconds >= 3600) {
      sb.append(seconds / 3600).append('h');
    }
    if (seconds >= 60) {
      sb.append(seconds % 3600 / 60).append('m');
    }
    return sb.append(seconds % 60).append('s').toString().toLowerCase(Locale.ROOT);
  }
}
