package dev.llmproxy.auth;

import dev.llmproxy.config.AddressRange;
import dev.llmproxy.config.ClientAuthConfig;
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
import java.net.InetAddress;
import java.util.List;

/**
 * Lets a {@code /v1/*} request through only with a valid client key (or when no keys are configured),
 * or, with {@code client-auth: container|both}, for a user the container authenticated (see
 * {@link ContainerPrincipalPolicy}). Records the {@link ClientIdentity} for the relay's logs. It is
 * mapped after the filters of the deployment descriptor, so an SSO filter declared there runs first.
 * Never wraps the request or response, so the data plane's non-blocking I/O is untouched. The key
 * is not passed on: upstream requests are built from scratch by the relay. A configured key that starts
 * with {@code change-me} (the shipped example's) is accepted from loopback clients only.
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
  /** Keys of the snapshot last seen; rebuilt only when a reload installs a new snapshot. */
  private transient volatile KeysOfSnapshot cached;

  private record KeysOfSnapshot(GatewaySnapshot snapshot, ClientKeys keys) {}

  public ApiKeyFilter(SnapshotHolder snapshots, ClientErrorWriter errors) {
    this.snapshots = snapshots;
    this.rejection = new Rejection(errors);
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
        ClientIdentity.user(request.getUserPrincipal().getName()).attachTo(request);
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
    ClientKeys keys = keysOf(snapshot);
    for (String key : presented) {
      if (keys.accepts(key)) {
        if (key.startsWith(EXAMPLE_KEY_PREFIX) && !isLoopback(request.getRemoteAddr())) {
          rejection.send(request, response, 401, EXAMPLE_KEY_REFUSED);
          return;
        }
        ClientIdentity.apiKey(key).attachTo(request);
        chain.doFilter(request, response);
        return;
      }
    }
    rejection.send(request, response, 401, presented.isEmpty() ? OpenAiError.missingApiKey() : OpenAiError.invalidApiKey());
  }

  private static boolean isLoopback(String remoteAddress) {
    InetAddress address = AddressRange.parseLiteral(remoteAddress);
    return address != null && address.isLoopbackAddress();
  }

  private ClientKeys keysOf(GatewaySnapshot snapshot) {
    KeysOfSnapshot c = cached;
    if (c == null || c.snapshot() != snapshot) {
      c = new KeysOfSnapshot(snapshot, new ClientKeys(snapshot.config().apiKeys()));
      cached = c;
    }
    return c.keys();
  }
}
