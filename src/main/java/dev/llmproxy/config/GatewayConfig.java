package dev.llmproxy.config;

import dev.llmproxy.payload.PayloadRules;
import java.time.Duration;
import java.util.List;

/**
 * One validated, immutable snapshot of {@code config.yaml}. Built only by {@link ConfigLoader}.
 *
 * <p>Defaults (key absent): no client keys (open access, logged loudly), {@code debug} false, no global
 * proxy (direct), {@code request-retry} 0, {@code max-retry-credentials} 0 (all), {@code
 * max-retry-interval} 0s (never wait), cooling on, {@code transient-error-cooldown-seconds} 10s,
 * {@code key-fault-cooldown} 30m, {@code force-model-prefix} false, {@code max-request-body} 32 MiB,
 * {@code model-discovery-interval} 10m, {@code client-auth} api-key (see {@link ClientAuthConfig}),
 * {@code nonstream-keepalive-interval} 0 (off), no CORS origins, {@code passthrough-headers} false,
 * {@code usage} embedded (see {@link UsageConfig}), {@code metrics} without token or JMX, {@code state} in memory
 * (see {@link StateConfig}), no {@code user-limits}, {@code max-open-requests} what the instance can hold
 * ({@link #DEFAULT_MAX_OPEN_REQUESTS}), {@code request-body-timeout} 30s, no {@code payload} rules.
 *
 * <p>{@code requestBodyTimeout}: the longest a client may send nothing of a request body it has begun (or announced);
 * then 408 and the connection is closed. The gateway's own bound: a container's idle timeout does not fire while
 * a servlet reads asynchronously (Jetty 12 under {@code jetty:run} held such a request 200 s and more), and the
 * request holds a {@code max-open-requests} place from before its body is read.
 *
 * <p>{@code maxOpenRequests}: the data-plane requests this instance holds open at once, all providers together;
 * one more is answered 503 {@code gateway_busy} at once. Each route's pool bounds one provider; this bounds their
 * sum, so that several busy providers cannot take the instance past its heap or its open files together.
 */
public record GatewayConfig(
    List<ClientKeyConfig> apiKeys,
    boolean debug,
    OutboundProxy proxy,
    int requestRetry,
    int maxRetryCredentials,
    Duration maxRetryInterval,
    boolean disableCooling,
    Duration transientErrorCooldown,
    Duration keyFaultCooldown,
    boolean forceModelPrefix,
    long maxRequestBodyBytes,
    Duration modelDiscoveryInterval,
    RoutingConfig routing,
    StreamingConfig streaming,
    UpstreamConfig upstream,
    RemoteManagementConfig remoteManagement,
    List<ProviderConfig> providers,
    List<String> warnings,
    ClientAuthConfig clientAuth,
    CorsConfig cors,
    Duration nonStreamKeepaliveInterval,
    boolean passthroughHeaders,
    UsageConfig usage,
    MetricsConfig metrics,
    StateConfig state,
    List<UserLimitsConfig> userLimits,
    int maxOpenRequests,
    Duration requestBodyTimeout,
    PayloadRules payload) {

  public static final long DEFAULT_MAX_REQUEST_BODY = 32L * 1024 * 1024;
  /**
   * {@code max-open-requests} when absent: the streams one instance can hold under its open-file limit and in its
   * heap, as for each route's pool (see {@link UpstreamConfig#defaultMaxConnections}).
   */
  public static final int DEFAULT_MAX_OPEN_REQUESTS = UpstreamConfig.CAPACITY;
  public static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(30);

  public GatewayConfig {
    apiKeys = List.copyOf(apiKeys);
    userLimits = userLimits == null ? List.of() : List.copyOf(userLimits);
    providers = List.copyOf(providers);
    warnings = List.copyOf(warnings);
    clientAuth = clientAuth == null ? ClientAuthConfig.DEFAULT : clientAuth;
    usage = usage == null ? UsageConfig.DEFAULT : usage;
    metrics = metrics == null ? MetricsConfig.DEFAULT : metrics;
    state = state == null ? StateConfig.DEFAULT : state;
  }

  /** Anyone may call {@code /v1/*}: API keys only and none configured. */
  public boolean isOpenAccess() {
    return clientAuth.mode() == ClientAuthConfig.Mode.API_KEY && apiKeys.isEmpty();
  }

  /** The outbound proxy for a key: its own {@code proxy-url}, else {@link #globalProxy()}. */
  public OutboundProxy effectiveProxy(ApiKeyEntry entry) {
    return entry.proxy() != null ? entry.proxy() : globalProxy();
  }

  /** The global {@code proxy-url}, or direct when there is none (also the route of keyless calls). */
  public OutboundProxy globalProxy() {
    return proxy != null ? proxy : OutboundProxy.DIRECT;
  }

  @Override
  public String toString() {
    return "GatewayConfig[apiKeys=" + apiKeys.size() + " keys, providers=" + providers.size() + "]";
  }
}
