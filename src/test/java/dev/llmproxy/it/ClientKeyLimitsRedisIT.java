package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.Await;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.RedisProcess;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances behind one Redis share client-key limits: a rate count made on one holds on the other at
 * once for a client it has not seen lately, and within a second otherwise; monthly tokens add up across them; a
 * {@code max-parallel-requests} cap counts the requests open on both; with Redis gone each instance keeps counting on
 * its own (never no limits).
 */
class ClientKeyLimitsRedisIT {
  private static final String RPM = "fleet-rpm-key-000001";
  private static final String MONTH = "fleet-month-key-0002";
  private static final String OUTAGE = "fleet-outage-key-003";
  private static final String PARALLEL = "fleet-parallel-key-04";
  private static final String BURST = "fleet-burst-key-000005";
  private static final String FLUSHED_OVER = "fleet-flushed-over-06";
  private static final String FLUSHED_UNDER = "fleet-flushed-under-7";
  private static final String MANAGEMENT_KEY = "mgmt-secret-for-limits-it";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RedisProcess redis;
  private static FakeUpstream upstream;
  private static GatewayServer a;
  private static GatewayServer b;

  @BeforeAll
  static void startFleet() {
    redis = RedisProcess.start();
    upstream = new FakeUpstream().start();
    String config = """
        api-keys:
          - {key: "%s", name: fleet-rpm, rpm: 3}
          - {key: "%s", name: fleet-month, max-tokens-per-month: 20}
          - {key: "%s", name: fleet-outage, rpm: 2}
          - {key: "%s", name: fleet-parallel, max-parallel-requests: 2}
          - {key: "%s", name: fleet-burst, rpm: 5}
          - {key: "%s", name: fleet-flushed-over, max-tokens-per-month: 20}
          - {key: "%s", name: fleet-flushed-under, max-tokens-per-month: 100}
        remote-management:
          secret-key: "%s"
        state:
          store: redis
          redis-url: "%s"
          key-prefix: "it-limits:"
          redis-timeout: 2s   # a busy two-core test machine must not pass for a slow Redis
        openai-compatibility:
          - name: p
            base-url: %s
            api-key-entries: [{api-key: sk-upstream}]
            models: [{name: m}]
        """.formatted(RPM, MONTH, OUTAGE, PARALLEL, BURST, FLUSHED_OVER, FLUSHED_UNDER,
        // Hashed already: a plaintext secret would be hashed and written (and so shared) by each instance at start.
        BCrypt.withDefaults().hashToString(4, MANAGEMENT_KEY.toCharArray()), redis.url(), upstream.baseUrl());
    a = GatewayServer.builder().config(config).build().start();
    b = GatewayServer.builder().config(config).build().start();
  }

  @AfterAll
  static void stopFleet() {
    a.close();
    b.close();
    upstream.close();
    redis.close();
  }

  @BeforeEach
  void bothInstancesShareState() {
    upstream.reset();
    Await.until(Duration.ofSeconds(15), () -> state(a).equals("redis") && state(b).equals("redis"), "both reach Redis");
  }

  @Test
  void requestsPerMinuteAddUpExactlyAcrossInstances() {
    MinuteWindows.awaitRoomFor(Duration.ofSeconds(15));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, new GatewayClient(a, RPM).chat("m").statusCode());
    }
    assertEquals(429, new GatewayClient(b, RPM).chat("m").statusCode(), "B counts A's three requests");
    assertEquals(429, new GatewayClient(a, RPM).chat("m").statusCode());
    assertEquals(3, upstream.requests().size());
  }

  @Test
  void aBurstSentToBothInstancesAtOnceGetsNoMoreThanTheRpm() throws Exception {
    MinuteWindows.awaitRoomFor(Duration.ofSeconds(15));
    // Both instances know the client already (a fresh view), then ten requests reach each at the same moment.
    assertEquals(200, new GatewayClient(a, BURST).chat("m").statusCode());
    assertEquals(200, new GatewayClient(b, BURST).chat("m").statusCode());
    List<CompletableFuture<Integer>> statuses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      for (GatewayServer gateway : List.of(a, b)) {
        statuses.add(CompletableFuture.supplyAsync(() -> new GatewayClient(gateway, BURST).chat("m").statusCode()));
      }
    }
    long admitted = statuses.stream().map(CompletableFuture::join).filter(status -> status == 200).count();
    assertEquals(3, admitted, "5 a minute for the fleet, 2 of them taken before the burst");
    assertEquals(5, upstream.requests().size());
  }

  @Test
  void monthlyTokensAddUpAcrossInstancesWithinASecond() throws InterruptedException {
    assertEquals(200, new GatewayClient(a, MONTH).chat("m").statusCode()); // 12 tokens
    assertEquals(200, new GatewayClient(b, MONTH).chat("m").statusCode()); // 24: B started from A's 12
    assertEquals(429, new GatewayClient(b, MONTH).chat("m").statusCode());
    // The contract: a count made on one instance holds on the others within a second.
    Thread.sleep(1_100);
    String refused = new GatewayClient(a, MONTH).chat("m").body();
    assertTrue(refused.contains("\"insufficient_quota\""), refused);
    assertEquals(2, upstream.requests().size());
  }

  @Test
  void aParallelCapCountsTheRequestsOpenOnEveryInstance() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.pacedStream(req.model(), 400, Duration.ofMillis(25), 8));
    List<RawClient> held = new ArrayList<>();
    try {
      held.add(new GatewayClient(a, PARALLEL).heldStream("m"));
      held.add(new GatewayClient(b, PARALLEL).heldStream("m"));
      // Each instance learns the other's stream at its next sync (within a quarter second): wait for both views.
      Await.until(Duration.ofSeconds(5), () -> openOnFleet(a, "fleet-parallel") == 2
          && openOnFleet(b, "fleet-parallel") == 2, "A counts B's stream and B counts A's");

      for (GatewayServer gateway : List.of(a, b)) {
        HttpResponse<String> refused = new GatewayClient(gateway, PARALLEL).chat("m");
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("max-parallel-requests"), refused.body());
      }
      assertEquals(2, upstream.requests().size(), "the refused requests never reached the upstream");

      held.remove(1).abort();
      Await.until(Duration.ofSeconds(5), () -> openOnFleet(a, "fleet-parallel") == 1, "B's stream gave its place back");
      held.add(new GatewayClient(a, PARALLEL).heldStream("m"));
      assertEquals(3, upstream.requests().size());
    } finally {
      for (RawClient c : held) {
        c.abort();
      }
    }
  }

  @Test
  void withRedisDownEachInstanceKeepsCountingOnItsOwn() {
    MinuteWindows.awaitRoomFor(Duration.ofSeconds(30));
    redis.kill();
    try {
      for (GatewayServer gateway : List.of(a, b)) {
        GatewayClient client = new GatewayClient(gateway, OUTAGE);
        assertEquals(List.of(200, 200, 429), List.of(client.chat("m").statusCode(), client.chat("m").statusCode(),
            client.chat("m").statusCode()), "local counting, never no limits");
      }
      assertEquals(4, upstream.requests().size());
      assertEquals("degraded", state(a));
    } finally {
      redis.restart();
    }
    Await.until(Duration.ofSeconds(15), () -> state(a).equals("redis") && state(b).equals("redis"), "both are back");
  }

  @Test
  void aRedisFlushedWhileConnectedKeepsRefusingAKeyOverItsMonthAndCountsEachRequestOnce() throws Exception {
    assertEquals(200, new GatewayClient(a, FLUSHED_OVER).chat("m").statusCode()); // 12 tokens
    assertEquals(200, new GatewayClient(b, FLUSHED_OVER).chat("m").statusCode()); // 24 of 20
    assertEquals(200, new GatewayClient(a, FLUSHED_UNDER).chat("m").statusCode()); // 12 of 100
    assertEquals(200, new GatewayClient(b, FLUSHED_UNDER).chat("m").statusCode()); // 24
    assertEquals(24, monthTokens(a, "fleet-flushed-over"));
    assertEquals(24, monthTokens(b, "fleet-flushed-under"));

    assertEquals("OK", redis.command("FLUSHALL").substring(1));
    Thread.sleep(1_100); // each instance's view is stale: its next request refreshes it from the emptied Redis
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      statuses.add(new GatewayClient(i % 2 == 0 ? a : b, FLUSHED_OVER).chat("m").statusCode());
    }
    assertEquals(List.of(429, 429, 429, 429, 429, 429, 429, 429), statuses, "over its month before the flush");
    assertEquals(200, new GatewayClient(a, FLUSHED_UNDER).chat("m").statusCode()); // 36
    Thread.sleep(1_100);
    assertEquals(200, new GatewayClient(b, FLUSHED_UNDER).chat("m").statusCode()); // 48
    for (GatewayServer gateway : List.of(a, b)) {
      assertEquals(24, monthTokens(gateway, "fleet-flushed-over"), "restored, nothing admitted");
      assertEquals(48, monthTokens(gateway, "fleet-flushed-under"), "24 before the flush and 24 after, once");
    }
    assertEquals(6, upstream.requests().size());
  }

  private static long monthTokens(GatewayServer gateway, String name) {
    return new GatewayClient(gateway, MANAGEMENT_KEY).apiKeyUsage(name).at("/max-tokens-per-month/used").asLong();
  }

  /** The requests of the key named {@code name} open across the fleet, as {@code gateway}'s api-keys usage says. */
  private static int openOnFleet(GatewayServer gateway, String name) {
    return new GatewayClient(gateway, MANAGEMENT_KEY).apiKeyUsage(name).at("/max-parallel-requests/used").asInt();
  }

  private static String state(GatewayServer gateway) {
    try {
      String health = new GatewayClient(gateway).send(HttpRequest.newBuilder(gateway.uri("/healthz"))
          .timeout(Duration.ofSeconds(10)).GET().build()).body();
      return JSON.readTree(health).path("state").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
