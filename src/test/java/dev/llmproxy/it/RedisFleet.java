package dev.llmproxy.it;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.Await;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.RedisProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Three gateway instances, each with its own config directory, sharing state through a real redis-server (with a
 * password), as behind a load balancer; a fake upstream with two keys and models {@code m} and {@code n}; and the
 * calls the tests make to each instance. Management trusts {@code X-Forwarded-For} from loopback, so a test can act
 * as a client address of its own. Not thread-safe: one test class drives it.
 */
final class RedisFleet implements AutoCloseable {
  static final String SECRET = "mgmt-secret-for-shared-state";
  static final String LIMITED_KEY = "sk-limited-0123456789-aaaa";
  static final String OTHER_KEY = "sk-other-0123456789-bbbb";
  static final String REDIS_PASSWORD = "redis-pass-for-the-fleet";
  private static final ObjectMapper JSON = new ObjectMapper();

  final RedisProcess redis;
  final FakeUpstream upstream;
  final String keyPrefix;
  private final List<GatewayServer> gateways = new ArrayList<>();
  /** The three instances. */
  GatewayServer a;
  GatewayServer b;
  GatewayServer c;

  private RedisFleet(String keyPrefix) {
    this.keyPrefix = keyPrefix;
    this.redis = RedisProcess.start(REDIS_PASSWORD, null);
    this.upstream = new FakeUpstream().start();
  }

  /** Starts Redis, the upstream and three instances whose Redis keys start with {@code keyPrefix}. */
  static RedisFleet start(String keyPrefix) {
    return start(keyPrefix, "");
  }

  /** As {@link #start(String)}, with {@code extraYaml} (top-level keys) at the head of every instance's config. */
  static RedisFleet start(String keyPrefix, String extraYaml) {
    RedisFleet fleet = new RedisFleet(keyPrefix);
    // Hashed already: a plaintext secret would be hashed and written (and so shared) by each instance at start.
    String hashed = BCrypt.withDefaults().hashToString(4, SECRET.toCharArray());
    String config = extraYaml + """
        api-keys: ["%s"]
        remote-management:
          secret-key: "%s"
          allow-remote: true
          trusted-proxies: ["127.0.0.1"]
        state:
          store: redis
          redis-url: "%s"
          key-prefix: "%s"
          redis-timeout: 2s   # a busy two-core test machine must not pass for a slow Redis
        openai-compatibility:
          - name: p
            base-url: %s
            api-key-entries: [{api-key: "%s"}, {api-key: "%s"}]
            models: [{name: m}, {name: n}]
        """.formatted(GatewayClient.CLIENT_KEY, hashed, fleet.redis.url(), keyPrefix, fleet.upstream.baseUrl(),
        LIMITED_KEY, OTHER_KEY);
    for (int i = 0; i < 3; i++) {
      fleet.gateways.add(GatewayServer.builder().config(config).build().start());
    }
    fleet.a = fleet.gateways.get(0);
    fleet.b = fleet.gateways.get(1);
    fleet.c = fleet.gateways.get(2);
    return fleet;
  }

  List<GatewayServer> all() {
    return gateways;
  }

  /** Waits until every instance says it shares state through Redis. */
  void awaitSharing(Duration within) {
    Await.until(within, () -> gateways.stream().allMatch(g -> state(g).equals("redis")),
        "every instance reaches Redis");
  }

  /** Waits until every instance says it goes on without Redis. */
  void awaitDegraded(Duration within) {
    Await.until(within, () -> gateways.stream().allMatch(g -> state(g).equals("degraded")), "every instance degraded");
  }

  /** {@code /healthz}'s {@code state}: memory, redis or degraded. */
  static String state(GatewayServer gateway) {
    return json(health(gateway).body()).path("state").asText();
  }

  static HttpResponse<String> health(GatewayServer gateway) {
    GatewayClient client = new GatewayClient(gateway);
    return client.send(HttpRequest.newBuilder(gateway.uri("/healthz")).timeout(Duration.ofSeconds(10)).GET().build());
  }

  /** A management call with the right key from loopback. */
  static HttpResponse<String> management(GatewayServer gateway, String method, String path, String body) {
    return management(gateway, SECRET, null, method, path, body);
  }

  /**
   * A management call with {@code key}, from {@code clientAddress} (through {@code X-Forwarded-For}) or, when it is
   * {@code null}, from a client the trusted proxy does not name (unknown, let in by {@code allow-remote}).
   */
  static HttpResponse<String> management(GatewayServer gateway, String key, String clientAddress, String method,
      String path, String body) {
    GatewayClient client = new GatewayClient(gateway, key);
    HttpRequest.Builder request = client.request("/v0/management/" + path).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (clientAddress != null) {
      request.header("X-Forwarded-For", clientAddress);
    }
    return client.send(request.build());
  }

  /** A management GET with the right key that must succeed, as JSON. */
  static JsonNode managementJson(GatewayServer gateway, String path) {
    HttpResponse<String> r = management(gateway, "GET", path, null);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body());
    }
    return json(r.body());
  }

  static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + body, e);
    }
  }

  @Override
  public void close() {
    gateways.forEach(GatewayServer::close);
    upstream.close();
    redis.close();
  }
}
