package dev.llmproxy.config;

import dev.llmproxy.payload.PayloadRules;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a parsed, env-substituted YAML tree to {@link GatewayConfig}, reporting every problem with its
 * YAML path. Knows the spelling of every key; nothing else in the code base sees kebab-case.
 */
final class ConfigBinder {
  /** CLIProxyAPI top-level keys this gateway accepts but does not implement: warnings, not errors. */
  static final Set<String> UNIMPLEMENTED_TOP_LEVEL = Set.of(
      "gemini-api-key", "codex-api-key", "claude-api-key", "vertex-api-key", "xai-api-key", "interactions-api-key",
      "generative-language-api-key", "request-log", "usage-statistics-enabled", "logging-to-file",
      "logs-max-total-size-mb", "error-logs-max-files", "ws-auth", "auth-dir",
      "commercial-mode", "quota-exceeded", "oauth-model-alias", "oauth-excluded-models", "oauth-request-scoped-errors",
      "ampcode", "amp-code", "pprof", "kiro", "plugins", "codex", "claude-code", "xai", "antigravity",
      "claude-header-defaults", "codex-header-defaults", "vertex-api-key-entries",
      "redis-usage-queue-retention-seconds", "save-cooldown-status", "disable-claude-cloak-mode",
      "disable-image-generation", "gpt-image-2-base-model", "video-result-auth-cache-ttl",
      "auth-auto-refresh-workers", "credential-concurrency", "credential-in-flight",
      "antigravity-signature-cache-enabled", "antigravity-signature-bypass-strict",
      // keys of earlier CLIProxyAPI releases that files in use may still carry
      "gemini-web", "enable-gemini-cli-endpoint", "oauth-model-mappings", "model-name-mappings",
      "codex-instructions-enabled", "force-gpt-5-codex");
  /** Keys that belong to the servlet container, not to the WAR; a list, so warnings come in a stable order. */
  static final List<String> CONTAINER_KEYS = List.of("host", "port", "tls");

  private final ConfigProblems problems;
  private final Path baseDir;
  private final ProviderBinder providerBinder;
  private final ClientKeysBinder clientKeysBinder;

  /**
   * @param baseDir the directory relative file paths in the config are resolved against (the config file's
   *     own directory); {@code null} for the working directory
   */
  ConfigBinder(ConfigProblems problems, Path baseDir) {
    this.problems = problems;
    this.baseDir = baseDir;
    this.providerBinder = new ProviderBinder(problems);
    this.clientKeysBinder = new ClientKeysBinder(problems);
  }

  GatewayConfig bind(Object root) {
    YamlMapReader r = YamlMapReader.of("", root == null ? Map.of() : root, problems);
    for (String key : CONTAINER_KEYS) {
      if (r.has(key)) {
        r.raw(key);
        problems.warning(key, "belongs to the servlet container (configure its connector instead) and is ignored");
      }
    }
    List<ClientKeyConfig> apiKeys = clientKeysBinder.apiKeys(r);
    boolean debug = r.bool("debug", false);
    OutboundProxy proxy = providerBinder.proxy(r, "proxy-url");
    int requestRetry = r.integer("request-retry", 0, 0, 100);
    int maxRetryCredentials = r.integer("max-retry-credentials", 0, 0, 10_000);
    Duration maxRetryInterval = r.duration("max-retry-interval", Duration.ZERO);
    boolean disableCooling = r.bool("disable-cooling", false);
    Duration transientCooldown = transientCooldown(r);
    Duration keyFaultCooldown = r.duration("key-fault-cooldown", Duration.ofMinutes(30));
    boolean forceModelPrefix = r.bool("force-model-prefix", false);
    long maxBody = r.size("max-request-body", GatewayConfig.DEFAULT_MAX_REQUEST_BODY);
    Duration discoveryInterval = r.duration("model-discovery-interval", Duration.ofMinutes(10));
    if (discoveryInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      problems.error("model-discovery-interval", "must be at least 1s");
    }
    if (maxBody <= 0) {
      problems.error("max-request-body", "must be positive");
    }
    Duration bodyTimeout = r.duration("request-body-timeout", GatewayConfig.DEFAULT_REQUEST_BODY_TIMEOUT);
    if (bodyTimeout.isZero()) {
      problems.error("request-body-timeout", "must be positive");
    }
    int maxOpenRequests = r.integer("max-open-requests", GatewayConfig.DEFAULT_MAX_OPEN_REQUESTS, 1, 1_000_000);
    RoutingConfig routing = routing(r.child("routing"));
    StreamingConfig streaming = streaming(r.child("streaming"));
    UpstreamConfig upstream = upstream(r.child("upstream"));
    RemoteManagementConfig management = management(r.child("remote-management"));
    List<ProviderConfig> providers = r.objectList("openai-compatibility", providerBinder::provider);
    providerBinder.checkNames(providers);
    checkAddresses(proxy, providers, upstream.addresses());
    ClientAuthConfig clientAuth = clientAuth(r, apiKeys);
    List<UserLimitsConfig> userLimits = clientKeysBinder.userLimits(r, clientAuth);
    clientKeysBinder.warnUnpricedModels(apiKeys, userLimits, providers);
    CorsConfig cors = cors(r.child("cors"));
    Duration nonStreamKeepalive = r.duration("nonstream-keepalive-interval", Duration.ZERO);
    if (!nonStreamKeepalive.isZero() && nonStreamKeepalive.compareTo(Duration.ofSeconds(1)) < 0) {
      problems.error("nonstream-keepalive-interval", "must be 0 (off) or at least 1s");
    }
    boolean passthroughHeaders = r.bool("passthrough-headers", false);
    UsageConfig usage = new UsageBinder(problems).usage(r.child("usage"));
    MetricsConfig metrics = metrics(r.child("metrics"), apiKeys, management);
    StateConfig state = state(r.child("state"));
    PayloadRules payload = new PayloadBinder(problems).payload(r.child("payload"));
    r.finish(UNIMPLEMENTED_TOP_LEVEL);
    return new GatewayConfig(apiKeys, debug, proxy, requestRetry, maxRetryCredentials, maxRetryInterval,
        disableCooling, transientCooldown, keyFaultCooldown, forceModelPrefix, maxBody, discoveryInterval,
        routing, streaming, upstream, management, providers, problems.warnings(), clientAuth, cors,
        nonStreamKeepalive, passthroughHeaders, usage, metrics, state, userLimits, maxOpenRequests, bodyTimeout,
        payload);
  }

  /** A scraper's token must not also be a client key or the management key: it would grant more. */
  private MetricsConfig metrics(YamlMapReader r, List<ClientKeyConfig> apiKeys, RemoteManagementConfig management) {
    String token = r.string("token", "");
    boolean jmx = r.bool("jmx", false);
    // An empty token (the shipped example's value) means none: /metrics is then management's alone.
    if (!token.isEmpty() && (isClientKey(apiKeys, token) || token.equals(management.secretKey()))) {
      problems.error(r.childPath("token"), "must differ from every api-keys entry and from remote-management.secret-key "
          + "(it grants /metrics and nothing else)");
    }
    r.finish(Set.of());
    return new MetricsConfig(token, jmx);
  }

  /**
   * Refuses, at load time, upstream and proxy hosts that are blocked addresses when written as IP
   * literals or known metadata names; names are judged again on every resolved address at connect time.
   */
  private void checkAddresses(OutboundProxy globalProxy, List<ProviderConfig> providers, UpstreamAddresses upstreams) {
    checkProxy("proxy-url", globalProxy);
    for (int i = 0; i < providers.size(); i++) {
      ProviderConfig p = providers.get(i);
      String host = hostOf(p.baseUrl());
      String refusal = host == null ? null : upstreams.refusalOfHost(host);
      if (refusal != null) {
        problems.error("openai-compatibility[" + i + "].base-url", "'" + p.baseUrl() + "' is refused: " + refusal);
      }
      for (int j = 0; j < p.apiKeyEntries().size(); j++) {
        checkProxy("openai-compatibility[" + i + "].api-key-entries[" + j + "].proxy-url",
            p.apiKeyEntries().get(j).proxy());
      }
    }
  }

  private void checkProxy(String path, OutboundProxy proxy) {
    String refusal = proxy == null || proxy.isDirect() ? null : UpstreamAddresses.PROXIES.refusalOfHost(proxy.host());
    if (refusal != null) {
      problems.error(path, "'" + proxy + "' is refused: " + refusal);
    }
  }

  private static String hostOf(String url) {
    try {
      String host = java.net.URI.create(url).getHost();
      return host != null && host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    } catch (IllegalArgumentException e) {
      return null; // reported by the provider's binder
    }
  }

  private static boolean isClientKey(List<ClientKeyConfig> apiKeys, String token) {
    String hash = ClientKeyConfig.sha256Hex(token);
    return apiKeys.stream().anyMatch(k -> k.sha256().equals(hash));
  }

  /** Origins are compared as browsers send them: scheme, host and an optional port, nothing else. */
  private CorsConfig cors(YamlMapReader r) {
    List<String> origins = r.stringList("allowed-origins");
    for (int i = 0; i < origins.size(); i++) {
      String origin = origins.get(i);
      if (!origin.equals("*") && !origin.matches("(?i)https?://[a-z0-9.\\[\\]:-]+")) {
        problems.error("cors.allowed-origins[" + i + "]", "'" + origin + "' is not an origin; expected \"*\" or "
            + "scheme://host[:port] without a path, such as https://chat.example.com");
      }
    }
    r.finish(Set.of());
    return new CorsConfig(origins);
  }

  /**
   * Absent: 10 s, so one hiccup does not black out a model for a minute. 0 keeps CLIProxyAPI's meaning
   * (its legacy 60 s) so imported files behave the same; a negative value disables the cooldown.
   */
  private static Duration transientCooldown(YamlMapReader r) {
    Integer seconds = r.optionalInteger("transient-error-cooldown-seconds", -1, 86_400);
    if (seconds == null) {
      return Duration.ofSeconds(10);
    }
    if (seconds == 0) {
      return Duration.ofSeconds(60);
    }
    return seconds < 0 ? Duration.ZERO : Duration.ofSeconds(seconds);
  }

  private RoutingConfig routing(YamlMapReader r) {
    RoutingConfig.Strategy strategy = r.enumValue("strategy", RoutingConfig.Strategy.class,
        RoutingConfig.Strategy.ROUND_ROBIN, Map.of(
            "rr", RoutingConfig.Strategy.ROUND_ROBIN,
            "roundrobin", RoutingConfig.Strategy.ROUND_ROBIN,
            "wrr", RoutingConfig.Strategy.WEIGHTED_ROUND_ROBIN,
            "weightedroundrobin", RoutingConfig.Strategy.WEIGHTED_ROUND_ROBIN,
            "ff", RoutingConfig.Strategy.FILL_FIRST,
            "fillfirst", RoutingConfig.Strategy.FILL_FIRST));
    RoutingConfig.PoolStrategy pool = r.enumValue("pool-strategy", RoutingConfig.PoolStrategy.class,
        RoutingConfig.PoolStrategy.ROUND_ROBIN, Map.of());
    boolean affinity = r.bool("session-affinity", false);
    Duration affinityTtl = r.duration("session-affinity-ttl", RoutingConfig.DEFAULT_SESSION_AFFINITY_TTL);
    if (affinityTtl.compareTo(Duration.ofSeconds(1)) < 0) {
      problems.error(r.childPath("session-affinity-ttl"), "must be at least 1s");
    }
    r.finish(Set.of("session-affinity-subagents"));
    return new RoutingConfig(strategy, pool, affinity, affinityTtl);
  }

  private StreamingConfig streaming(YamlMapReader r) {
    int keepalive = r.integer("keepalive-seconds", 0, 0, 3600);
    int bootstrap = r.integer("bootstrap-retries", 0, 0, 10);
    r.finish(Set.of());
    return new StreamingConfig(keepalive, bootstrap);
  }

  private UpstreamConfig upstream(YamlMapReader r) {
    UpstreamConfig d = UpstreamConfig.DEFAULT;
    Duration connect = r.duration("connect-timeout", d.connectTimeout());
    Duration read = r.duration("read-timeout", d.readTimeout());
    int maxConnections = r.integer("max-connections-per-route", d.maxConnectionsPerRoute(), 1, 100_000);
    UpstreamConfig.Http2 http2 = r.enumValue("http2", UpstreamConfig.Http2.class, d.http2(), Map.of());
    int http2Connections = r.integer("http2-connections", d.http2Connections(), 1, 64);
    if (connect.isZero()) {
      problems.error(r.childPath("connect-timeout"), "must be positive");
    }
    if (read.isZero()) {
      problems.error(r.childPath("read-timeout"), "must be positive");
    }
    UpstreamTrustStore trustStore = trustStore(r, "trust-store");
    boolean allowPrivate = r.bool("allow-private-addresses", d.allowPrivateAddresses());
    Duration poolWait = r.duration("pool-wait", d.poolWait());
    if (poolWait.isZero()) {
      problems.error(r.childPath("pool-wait"), "must be positive");
    }
    Duration firstEvent = r.duration("first-event-timeout", d.firstEventTimeout());
    if (firstEvent.isZero()) {
      problems.error(r.childPath("first-event-timeout"), "must be positive");
    }
    Duration maxDuration = r.duration("max-duration", d.maxDuration());
    if (maxDuration.isZero()) {
      problems.error(r.childPath("max-duration"), "must be positive");
    }
    r.finish(Set.of());
    return new UpstreamConfig(connect, read, maxConnections, http2, http2Connections, trustStore, allowPrivate,
        poolWait, firstEvent, maxDuration);
  }

  /** {@code key} (resolved against the config directory) opened with {@code key-password}. */
  private UpstreamTrustStore trustStore(YamlMapReader r, String key) {
    String location = r.string(key, "");
    String password = r.string(key + "-password", "");
    if (location.isEmpty()) {
      if (!password.isEmpty()) {
        problems.error(r.childPath(key + "-password"), "is set but " + r.childPath(key) + " is not");
      }
      return null;
    }
    try {
      Path file = (baseDir == null ? Path.of(location) : baseDir.resolve(location)).toAbsolutePath().normalize();
      return UpstreamTrustStore.load(file, password, r.childPath(key + "-password"));
    } catch (InvalidPathException e) {
      problems.error(r.childPath(key), "'" + location + "' is not a valid path");
    } catch (IllegalArgumentException e) {
      problems.error(r.childPath(key), e.getMessage());
    }
    return null;
  }

  /** {@code state}: the store of shared state and, for Redis, where it is (llm-proxy extension). */
  private StateConfig state(YamlMapReader r) {
    StateConfig d = StateConfig.DEFAULT;
    StateConfig.Store store = r.enumValue("store", StateConfig.Store.class, d.store(), Map.of());
    String url = r.string("redis-url", "");
    String prefix = r.string("key-prefix", d.keyPrefix());
    Duration timeout = r.duration("redis-timeout", d.redisTimeout());
    UpstreamTrustStore trustStore = trustStore(r, "redis-trust-store");
    RedisUrl redis = null;
    if (!url.isEmpty()) {
      try {
        redis = RedisUrl.parse(url);
      } catch (IllegalArgumentException e) {
        problems.error(r.childPath("redis-url"), e.getMessage());
      }
    }
    if (store == StateConfig.Store.REDIS && url.isEmpty()) {
      problems.error(r.childPath("redis-url"), "is required when " + r.childPath("store") + " is redis");
    } else if (store == StateConfig.Store.MEMORY && (!url.isEmpty() || trustStore != null)) {
      problems.warning(r.childPath(url.isEmpty() ? "redis-trust-store" : "redis-url"),
          "has no effect while " + r.childPath("store") + " is memory");
    }
    if (redis != null && trustStore != null && !redis.tls()) {
      problems.warning(r.childPath("redis-trust-store"), "has no effect on a redis:// URL; use rediss:// for TLS");
    }
    if (prefix.isEmpty() || prefix.chars().anyMatch(Character::isWhitespace)) {
      problems.error(r.childPath("key-prefix"), "must be a non-empty word without spaces, such as \"llmproxy:\"");
    }
    if (timeout.isZero() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      problems.error(r.childPath("redis-timeout"), "must be more than 0 and at most 1m");
    }
    r.finish(Set.of());
    return new StateConfig(store, store == StateConfig.Store.REDIS ? redis : null, prefix, timeout,
        store == StateConfig.Store.REDIS ? trustStore : null);
  }

  private RemoteManagementConfig management(YamlMapReader r) {
    String secret = r.string("secret-key", "");
    boolean allowRemote = r.bool("allow-remote", false);
    var auth = r.enumValue("auth", RemoteManagementConfig.ManagementAuth.class,
        RemoteManagementConfig.ManagementAuth.KEY, Map.of());
    String role = r.string("role", "");
    checkManagementAuth(r, secret, auth, role);
    int lockoutMinutes = r.integer("lockout-minutes", (int) RemoteManagementConfig.DEFAULT_LOCKOUT.toMinutes(), 0, 10_080);
    List<AddressRange> trustedProxies = new java.util.ArrayList<>();
    List<String> proxies = r.stringList("trusted-proxies");
    for (int i = 0; i < proxies.size(); i++) {
      try {
        trustedProxies.add(AddressRange.parse(proxies.get(i)));
      } catch (IllegalArgumentException e) {
        problems.error(r.childPath("trusted-proxies") + "[" + i + "]", e.getMessage());
      }
    }
    r.finish(Set.of("disable-control-panel", "disable-auto-update-panel", "panel-github-repository"));
    return new RemoteManagementConfig(secret, allowRemote, auth, role, Duration.ofMinutes(lockoutMinutes),
        trustedProxies);
  }

  /** {@code remote-management.auth} and {@code role}: container security for management (llm-proxy extension). */
  private void checkManagementAuth(YamlMapReader r, String secret, RemoteManagementConfig.ManagementAuth auth,
      String role) {
    if (auth == RemoteManagementConfig.ManagementAuth.KEY_AND_CONTAINER && secret.isEmpty()) {
      problems.error(r.childPath("secret-key"), "is required when " + r.childPath("auth") + " is key-and-container");
    }
    if (r.has("role") && role.isBlank()) {
      problems.error(r.childPath("role"), "must not be empty; leave it out for the default '"
          + RemoteManagementConfig.DEFAULT_ROLE + "'");
    } else if (r.has("role") && !auth.usesContainer()) {
      problems.warning(r.childPath("role"), "has no effect while " + r.childPath("auth") + " is key");
    }
  }

  /** {@code client-auth} and {@code client-role}: container identity for clients (llm-proxy extension). */
  private ClientAuthConfig clientAuth(YamlMapReader r, List<ClientKeyConfig> apiKeys) {
    ClientAuthConfig.Mode mode = r.enumValue("client-auth", ClientAuthConfig.Mode.class,
        ClientAuthConfig.Mode.API_KEY, Map.of("apikey", ClientAuthConfig.Mode.API_KEY,
            "key", ClientAuthConfig.Mode.API_KEY));
    String role = r.string("client-role", "");
    if (r.has("client-role") && role.isBlank()) {
      problems.error("client-role", "must not be empty; leave it out to accept any signed-in user");
    } else if (!role.isEmpty() && mode == ClientAuthConfig.Mode.API_KEY) {
      problems.warning("client-role", "has no effect while client-auth is api-key");
    }
    if (mode == ClientAuthConfig.Mode.CONTAINER && !apiKeys.isEmpty()) {
      problems.warning("api-keys", "are not accepted while client-auth is container (use both to accept them too)");
    }
    return new ClientAuthConfig(mode, role);
  }
}
