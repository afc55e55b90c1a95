package dev.llmproxy.auth;

import dev.llmproxy.config.ClientAuthConfig;
import dev.llmproxy.config.LimitsConfig;
import dev.llmproxy.error.ClientErrorWriter;
import dev.llmproxy.error.ErrorType;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.SnapshotHolder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * Lets a {@code /v1/*} request through only with a valid client key (or when no keys are configured),
 * or, with {@code client-auth: container|both}, for a user the container authenticated (see
 * {@link ContainerPrincipalPolicy}). A key that is {@code disabled} or past its {@code expires} is refused like an
 * invalid one (401 {@code invalid_api_key}, saying which). Records the {@link ClientIdentity}, with the limits that
 * apply to it ({@code api-keys} objects, {@code user-limits}), for the relay. It is
 * mapped after the filters of the deployment descriptor, so an SSO filter declared there runs first.
 * Never wraps the request or response, so the data plane's non-blocking I/O is untouched. The key
 * is not passed on: upstream requests are built from scratch by the relay. A configured key that starts
 * with {@code change-me} (the shipped example's) is accepted from loopback clients only, the client found as
 * management finds it ({@link ClientAddressPolicy}), so a proxy on this host does not make everyone local.
 */
public final class ApiKeyFilter extends HttpFilter {
  /**
   * The shipped {@code conf/config.yaml} has {@code change-me-client-key}: a gateway that still accepts a
   * key like it is a first try on a developer's machine, so other machines are not let in with it.
   */
  private static final String EXAMPLE_KEY_PREFIX = "change-me";
  private static final OpenAiError EXAMPLE_KEY_REFUSED = new OpenAiError("This gateway still uses the example client "
      + "key from conf/config.yaml, which is accepted only from this machine. Set your own keys in api-keys of "
      + "config.yaml.", ErrorType.AUTHENTICATION, null, "example_api_key");

  private final transient SnapshotHolder snapshots;
  private final transient Rejection rejection;
  private final transient Clock clock;
  /** Keys and user limits of the snapshot last seen; rebuilt only when a reload installs a new snapshot. */
  private transient volatile Clients cached;

  private record Clients(GatewaySnapshot snapshot, ClientKeys keys, UserLimits users) {}

  public ApiKeyFilter(SnapshotHolder snapshots, ClientErrorWriter errors) {
    this(snapshots, errors, Clock.systemUTC());
  }

  /** @param clock what {@code expires} is compared with */
  public ApiKeyFilter(SnapshotHolder snapshots, ClientErrorWriter errors, Clock clock) {
    this.snapshots = snapshots;
    this.rejection = new Rejection(errors);
    this.clock = clock;
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    GatewaySnapshot snapshot = snapshots.current();
    if (snapshot == null || "OPTIONS".equals(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    List<String> presented = PresentedKeys.from(request);
    ClientAuthConfig clientAuth = snapshot.config().clientAuth();
    switch (ContainerPrincipalPolicy.client(request, clientAuth, !presented.isEmpty())) {
      case GRANTED -> {
        String user = request.getUserPrincipal().getName();
        ClientIdentity.user(user, clientsOf(snapshot).users().of(request, user)).attachTo(request);
        chain.doFilter(request, response);
        return;
      }
      case NOT_SIGNED_IN -> {
        rejection.send(request, response, 401, OpenAiError.notSignedIn());
        return;
      }
      case FORBIDDEN -> {
        rejection.send(request, response, 403, OpenAiError.missingRole(clientAuth.role()));
        return;
      }
      case CHECK_API_KEY -> { }
    }
    if (snapshot.config().isOpenAccess()) {
      ClientIdentity.ANONYMOUS.attachTo(request);
      chain.doFilter(request, response);
      return;
    }
    ClientKeys keys = clientsOf(snapshot).keys();
    OpenAiError refusal = presented.isEmpty() ? OpenAiError.missingApiKey() : OpenAiError.invalidApiKey();
    for (String key : presented) {
      ClientKeys.Match match = keys.find(key);
      if (match == null) {
        continue;
      }
      if (key.startsWith(EXAMPLE_KEY_PREFIX) && !ClientAddressPolicy.isLoopback(
          ClientAddressPolicy.clientAddress(request, snapshot.config().remoteManagement().trustedProxies()))) {
        rejection.send(request, response, 401, EXAMPLE_KEY_REFUSED);
        return;
      }
      OpenAiError unusable = unusable(match.entry().limits());
      if (unusable == null) {
        match.identity().attachTo(request);
        chain.doFilter(request, response);
        return;
      }
      refusal = unusable;
    }
    rejection.send(request, response, 401, refusal);
  }

  /** Why a configured key cannot be used now (disabled, expired), or {@code null}. */
  private OpenAiError unusable(LimitsConfig limits) {
    if (limits.disabled()) {
      return OpenAiError.keyDisabled();
    }
    if (limits.expires() != null && !clock.instant().isBefore(limits.expires())) {
      return OpenAiError.keyExpired(limits.expires());
    }
    return null;
  }

  private Clients clientsOf(GatewaySnapshot snapshot) {
    Clients c = cached;
    if (c == null || c.snapshot() != snapshot) {
      c = new Clients(snapshot, new ClientKeys(snapshot.config().apiKeys()),
          new UserLimits(snapshot.config().userLimits()));
      cached = c;
    }
    return c;
  }
}
