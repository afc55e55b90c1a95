package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.LogCapture;
import dev.llmproxy.testing.Polling;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.RedisProcess;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateway instances, each with its own config directory, sharing state through a real redis-server (with a
 * password), as behind a load balancer: a key one instance saw answer 429 is left alone by the others, upstream-status anywhere shows it,
 * a management write through one is served by all, and a Redis outage costs no request.
 */
class SharedStateIT {
  private static final String SECRET = "mgmt-secret-for-shared-state";
  private static final String LIMITED_KEY = "sk-limited-0123456789-aaaa";
  private static final String OTHER_KEY = "sk-other-0123456789-bbbb";
  private static final String REDIS_PASSWORD = "redis-pass-for-the-fleet";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RedisProcess redis;
  private static FakeUpstream upstream;
  private static final List<GatewayServer> gateways = new ArrayList<>();
  private static GatewayServer a;
  private static GatewayServer b;
  private static GatewayServer c;

  @BeforeAll
  static void startFleet() {
    redis = RedisProcess.start(REDIS_PASSWORD, null);
    upstream = new FakeUpstream().start();
    // Hashed already: a plaintext secret would be hashed and written (and so shared) by each instance at start.
    String hashed = BCrypt.withDefaults().hashToString(4, SECRET.toCharArray());
    String config = """
        api-keys: ["%s"]
        remote-management:
          secret-key: "%s"
        state:
          store: redis
          redis-url: "%s"
          key-prefix: "it-fleet:"
          redis-timeout: 2s   # a busy two-core test machine must not pass for a slow Redis
        openai-compatibility:
          - name: p
            base-url: %s
            api-key-entries: [{api-key: "%s"}, {api-key: "%s"}]
            models: [{name: m}, {name: n}]
        """.formatted(GatewayClient.CLIENT_KEY, hashed, redis.url(), upstream.baseUrl(), LIMITED_KEY, OTHER_KEY);
    for (int i = 0; i < 3; i++) {
      gateways.add(GatewayServer.builder().config(config).build().start());
    }
    a = gateways.get(0);
    b = gateways.get(1);
    c = gateways.get(2);
  }

  @AfterAll
  static void stopFleet() {
    gateways.forEach(GatewayServer::close);
    upstream.close();
    redis.close();
  }

  @BeforeEach
  void everyInstanceSharesState() {
    upstream.reset();
    await(Duration.ofSeconds(15), () -> gateways.stream().allMatch(g -> state(g).equals("redis")),
        "every instance reaches Redis");
  }

  @Test
  void a429WithRetryAfterOnOneInstanceKeepsThatKeyOutOfTheOthersAndShowsEverywhere() {
    upstream.respondWith(r -> r.bearerToken().equals(LIMITED_KEY) ? UpstreamResponse.rateLimited(Duration.ofSeconds(30))
        : UpstreamResponse.json(dev.llmproxy.testing.OpenAiBodies.chatCompletion(r.model(), "ok")));
    // Round-robin over two keys: at most two requests until one tries the limited key.
    for (int i = 0; i < 2 && limitedCalls().isEmpty(); i++) {
      assertEquals(200, new GatewayClient(a).chat("m").statusCode(), "A fails over to the other key");
    }
    assertEquals(1, limitedCalls().size());

    await(Duration.ofSeconds(1), () -> cooling(b, 0, "m") && cooling(c, 0, "m"),
        "B and C honour A's window within a second");
    JsonNode onC = status(c).at("/providers/0/keys/0/models/0");
    assertEquals("rate limit (HTTP 429)", onC.get("reason").asText());
    assertTrue(onC.get("seconds-left").asLong() > 20, onC.toString());

    upstream.clearRequests();
    for (int i = 0; i < 4; i++) {
      assertEquals(200, new GatewayClient(b).chat("m").statusCode());
      assertEquals(200, new GatewayClient(c).chat("m").statusCode());
    }
    assertEquals(8, upstream.requests().size());
    assertEquals(List.of(), limitedCalls(), "B and C never called the key A saw limited");
  }

  @Test
  void aManagementWriteThroughOneInstanceIsServedByTheOthersWithinFiveSeconds() throws IOException {
    String newKey = "team-key-added-" + System.nanoTime();
    HttpResponse<String> patch = management(a, "PATCH", "api-keys", "{\"old\":null,\"new\":\"" + newKey + "\"}");
    assertEquals(200, patch.statusCode(), patch.body());

    await(Duration.ofSeconds(5), () -> new GatewayClient(b, newKey).chat("m").statusCode() == 200
        && new GatewayClient(c, newKey).chat("m").statusCode() == 200, "B and C accept the key added through A");
    String written = Files.readString(a.configDir().resolve("config.yaml"));
    assertTrue(written.contains(newKey));
    assertEquals(written, Files.readString(b.configDir().resolve("config.yaml")), "B's file is A's");
    assertEquals(written, Files.readString(c.configDir().resolve("config.yaml")), "C's file is A's");
  }

  @Test
  void withRedisKilledEveryRequestIsAnsweredAndSharingResumesWhenItIsBack() {
    try (LogCapture log = new LogCapture()) {
      redis.kill();
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        statuses.add(new GatewayClient(gateways.get(i % 3)).chat("n").statusCode());
      }
      await(Duration.ofSeconds(10), () -> gateways.stream().allMatch(g -> state(g).equals("degraded")),
          "every instance reports degraded");
      for (GatewayServer g : gateways) {
        assertEquals(200, health(g).statusCode(), "degraded is still healthy");
      }
      upstream.respondWith(r -> r.bearerToken().equals(LIMITED_KEY) ? UpstreamResponse.rateLimited(Duration.ofSeconds(60))
          : UpstreamResponse.json(dev.llmproxy.testing.OpenAiBodies.chatCompletion(r.model(), "ok")));
      for (int i = 0; i < 30; i++) {
        statuses.add(new GatewayClient(gateways.get(i % 3)).chat("n").statusCode());
      }
      assertEquals(List.of(200), statuses.stream().distinct().toList(), "100% answered while Redis is down");
      assertEquals(3, warnings(log).size(), "one warning per instance for the whole outage: " + warnings(log));

      redis.restart();
      await(Duration.ofSeconds(15), () -> gateways.stream().allMatch(g -> state(g).equals("redis")),
          "every instance is back");
      assertEquals(3, log.lines().stream().filter(l -> l.contains("is back; sharing state again")).count());
      assertEquals(3, warnings(log).size(), "no more warnings");
      assertTrue(log.lines().stream().noneMatch(l -> l.contains(REDIS_PASSWORD)), "the Redis password is never logged");
      // Each instance rested the limited key for n on its own during the outage; they agree once back.
      await(Duration.ofSeconds(5), () -> gateways.stream().allMatch(g -> cooling(g, 0, "n")),
          "windows opened during the outage are shared");

      upstream.respondWith(r -> UpstreamResponse.rateLimited(Duration.ofSeconds(60)));
      new GatewayClient(c).chat("n");
      await(Duration.ofSeconds(1), () -> cooling(a, 1, "n") && cooling(b, 1, "n"),
          "a window opened on C after the outage reaches A and B within a second");
    }
  }

  private static List<String> warnings(LogCapture log) {
    return log.lines().stream().filter(l -> l.contains("is not answering")).toList();
  }

  private static List<RecordedRequest> limitedCalls() {
    return upstream.requests().stream().filter(r -> LIMITED_KEY.equals(r.bearerToken())).toList();
  }

  /** Whether upstream-status on {@code gateway} shows a window for {@code model} on key {@code index}. */
  private static boolean cooling(GatewayServer gateway, int index, String model) {
    for (JsonNode m : status(gateway).at("/providers/0/keys/" + index + "/models")) {
      if (m.get("model").asText().equals(model)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode status(GatewayServer gateway) {
    HttpResponse<String> r = management(gateway, "GET", "upstream-status", null);
    assertEquals(200, r.statusCode(), r.body());
    return json(r.body());
  }

  private static String state(GatewayServer gateway) {
    return json(health(gateway).body()).path("state").asText();
  }

  private static HttpResponse<String> health(GatewayServer gateway) {
    GatewayClient client = new GatewayClient(gateway);
    return client.send(HttpRequest.newBuilder(gateway.uri("/healthz")).timeout(Duration.ofSeconds(10)).GET().build());
  }

  private static HttpResponse<String> management(GatewayServer gateway, String method, String path, String body) {
    GatewayClient client = new GatewayClient(gateway, SECRET);
    return client.send(client.request("/v0/management/" + path).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build());
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + body, e);
    }
  }

  /** {@link Polling#await}, under the name other ITs import from here. */
  static void await(Duration within, BooleanSupplier condition, String what) {
    Polling.await(within, condition, what);
  }
}
