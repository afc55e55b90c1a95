package dev.llmproxy.management;

import dev.llmproxy.auth.ClientAddressPolicy;
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
 * or re-keying takes effect with the next reload. Checks, with CLIProxyAPI's bodies: no {@code
 * secret-key} → 404, empty body; not loopback without {@code allow-remote} → 403 {@code remote
 * management disabled}; no key → 401 {@code missing management key} (not counted: CORS preflights and
 * other key-less calls are no guesses); a key the {@link LoginFailures} do not admit now → 403 {@code IP
 * banned ... Try again in 3s} with {@code Retry-After}; wrong key → 401 {@code invalid management key}
 * (403 as above when the client was already locked). A locked client is throttled, never shut out: the
 * right key gets in as soon as it is checked. Runs after any container security (a {@code
 * security-constraint} or SSO filter declared in web.xml guards management on top of the key). A served
 * request carries {@link #SIGNED_IN_BY} ({@code "container"} or {@code "key"}). The same check guards
 * {@code /metrics} ({@link #admit}). Thread-safe.
 */
public final class ManagementAuthFilter extends HttpFilter {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementAuthFilter.class);
  /** Request attribute: how the caller was let in, {@code "container"} or {@code "key"} (for {@code whoami}). */
  public static final String SIGNED_IN_BY = ManagementAuthFilter.class.getName() + ".signedInBy";
  /** Request attribute: the address of a caller let in by the key from another machine ({@link ManagementCaller}). */
  private static final String REMOTE_KEY_CALLER = ManagementAuthFilter.class.getName() + ".remoteKeyCaller";

  private final transient SnapshotHolder snapshots;
  private final transient LoginFailures failures;
  private final transient ManagementKeyVerifier verifier;

  ManagementAuthFilter(SnapshotHolder snapshots, LoginFailures failures, ManagementKeyVerifier verifier) {
    this.snapshots = snapshots;
    this.failures = failures;
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
      ManagementCaller.serve((String) request.getAttribute(REMOTE_KEY_CALLER), () -> chain.doFilter(request, response));
    }
  }

  /**
   * The management check for an enabled management config: true when the request may go on (marked with
   * {@link #SIGNED_IN_BY}, {@code Cache-Control: no-store} set); otherwise the rejection has been written.
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
    return checkKey(request, response, config);
  }

  /** The key path: loopback rule, a key at all, admission by the {@link LoginFailures}, the check. */
  private boolean checkKey(HttpServletRequest request, HttpServletResponse response, RemoteManagementConfig config)
      throws IOException {
    String address = ClientAddressPolicy.clientAddress(request, config.trustedProxies());
    if (!ClientAddressPolicy.isAllowed(address, config)) {
      LOG.info("Management request from non-loopback address {} refused (remote-management.allow-remote is false)",
          address);
      reject(response, 403, "remote management disabled");
      return false;
    }
    List<String> keys = presentedKeys(request);
    if (keys.isEmpty()) {
      // Not a guess (CORS preflights and the admin page's sign-in probe never carry a key): nothing to count.
      reject(response, 401, "missing management key");
      return false;
    }
    if (!ClientAddressPolicy.isLoopback(address)) {
      request.setAttribute(REMOTE_KEY_CALLER, address); // read only once the key is right
    }
    for (String key : keys) {
      if (verifier.isKnownMatch(key, config.secretKey())) {
        // The right key, known without bcrypt: it is let in even while the address is throttled.
        failures.cleared(address);
        return admitted(request, response, "key");
      }
    }
    LoginFailures.Admission admission = failures.admit(address, config.lockout());
    if (admission instanceof LoginFailures.Refused refused) {
      rejectLocked(response, refused);
      return false;
    }
    boolean ok;
    try {
      ok = matchesAny(keys, config.secretKey());
    } catch (RuntimeException e) {
      failures.failed(address, config.lockout()); // every admitted check is reported once
      throw e;
    }
    if (ok) {
      failures.succeeded(address);
      return admitted(request, response, "key");
    }
    LoginFailures.Refused standing = failures.failed(address, config.lockout());
    boolean wasLocked = ((LoginFailures.Check) admission).locked();
    if (standing == null || !wasLocked) {
      if (standing != null) {
        LOG.warn("Management key checks from {} are throttled after too many failures{}", address,
            standing.everyone() ? " from all addresses together" : "");
      }
      reject(response, 401, "invalid management key");
    } else {
      rejectLocked(response, standing);
    }
    return false;
  }

  /** Marks how the request was let in and keeps its answer out of caches. */
  private static boolean admitted(HttpServletRequest request, HttpServletResponse response, String signedInBy) {
    request.setAttribute(SIGNED_IN_BY, signedInBy);
    response.setHeader("Cache-Control", "no-store");
    return true;
  }

  private boolean matchesAny(List<String> keys, String secret) {
    for (String key : keys) {
      if (verifier.matches(key, secret)) {
        return true;
      }
    }
    return false;
  }

  /** 403 with CLIProxyAPI's text for a locked client, and {@code Retry-After}. */
  private static void rejectLocked(HttpServletResponse response, LoginFailures.Refused refused) throws IOException {
    String wait = format(refused.retryAfter());
    response.setHeader("Retry-After", Long.toString(refused.retryAfter().toSeconds()));
    reject(response, 403, refused.everyone()
        ? "management is locked after too many failed attempts. Try again in " + wait
        : "IP banned due to too many failed attempts. Try again in " + wait);
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
