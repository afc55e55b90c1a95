package dev.llmproxy.it;

import static dev.llmproxy.it.RedisFleet.LIMITED_KEY;
import static dev.llmproxy.it.RedisFleet.REDIS_PASSWORD;
import static dev.llmproxy.it.RedisFleet.health;
import static dev.llmproxy.it.RedisFleet.management;
import static dev.llmproxy.it.RedisFleet.managementJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.testing.Await;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.LogCapture;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateway instances sharing state through a real redis-server ({@link RedisFleet}), as behind a load balancer:
 * a key one instance saw answer 429 is left alone by the others, upstream-status anywhere shows it, a management write
 * through one is served by all, and a Redis outage costs no request. Usage and lockouts: {@link
 * SharedUsageAndLockoutIT}.
 */
class SharedStateIT {
  private static RedisFleet fleet;
  private static FakeUpstream upstream;
  private static List<GatewayServer> gateways;

  @BeforeAll
  static void startFleet() {
    fleet = RedisFleet.start("it-fleet:");
    upstream = fleet.upstream;
    gateways = fleet.all();
  }

  @AfterAll
  static void stopFleet() {
    fleet.close();
  }

  @BeforeEach
  void everyInstanceSharesState() {
    upstream.reset();
    fleet.awaitSharing(Duration.ofSeconds(15));
  }

  @Test
  void a429WithRetryAfterOnOneInstanceKeepsThatKeyOutOfTheOthersAndShowsEverywhere() {
    upstream.respondWith(r -> r.bearerToken().equals(LIMITED_KEY) ? UpstreamResponse.rateLimited(Duration.ofSeconds(30))
        : UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "ok")));
    // Round-robin over two keys: at most two requests until one tries the limited key.
    for (int i = 0; i < 2 && limitedCalls().isEmpty(); i++) {
      assertEquals(200, new GatewayClient(fleet.a).chat("m").statusCode(), "A fails over to the other key");
    }
    assertEquals(1, limitedCalls().size());

    Await.until(Duration.ofSeconds(1), () -> cooling(fleet.b, 0, "m") && cooling(fleet.c, 0, "m"),
        "B and C honour A's window within a second");
    JsonNode onC = status(fleet.c).at("/providers/0/keys/0/models/0");
    assertEquals("rate limit (HTTP 429)", onC.get("reason").asText());
    assertTrue(onC.get("seconds-left").asLong() > 20, onC.toString());

    upstream.clearRequests();
    for (int i = 0; i < 4; i++) {
      assertEquals(200, new GatewayClient(fleet.b).chat("m").statusCode());
      assertEquals(200, new GatewayClient(fleet.c).chat("m").statusCode());
    }
    assertEquals(8, upstream.requests().size());
    assertEquals(List.of(), limitedCalls(), "B and C never called the key A saw limited");
  }

  @Test
  void aManagementWriteThroughOneInstanceIsServedByTheOthersWithinFiveSeconds() throws IOException {
    String newKey = "team-key-added-" + System.nanoTime();
    HttpResponse<String> patch = management(fleet.a, "PATCH", "api-keys", "{\"old\":null,\"new\":\"" + newKey + "\"}");
    assertEquals(200, patch.statusCode(), patch.body());

    Await.until(Duration.ofSeconds(5), () -> new GatewayClient(fleet.b, newKey).chat("m").statusCode() == 200
        && new GatewayClient(fleet.c, newKey).chat("m").statusCode() == 200, "B and C accept the key added through A");
    String written = Files.readString(fleet.a.configDir().resolve("config.yaml"));
    assertTrue(written.contains(newKey));
    assertEquals(written, Files.readString(fleet.b.configDir().resolve("config.yaml")), "B's file is A's");
    assertEquals(written, Files.readString(fleet.c.configDir().resolve("config.yaml")), "C's file is A's");
  }

  @Test
  void withRedisKilledEveryRequestIsAnsweredAndSharingResumesWhenItIsBack() {
    try (LogCapture log = new LogCapture()) {
      fleet.redis.kill();
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        statuses.add(new GatewayClient(gateways.get(i % 3)).chat("n").statusCode());
      }
      fleet.awaitDegraded(Duration.ofSeconds(10));
      for (GatewayServer g : gateways) {
        assertEquals(200, health(g).statusCode(), "degraded is still healthy");
      }
      upstream.respondWith(r -> r.bearerToken().equals(LIMITED_KEY)
          ? UpstreamResponse.rateLimited(Duration.ofSeconds(60))
          : UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "ok")));
      for (int i = 0; i < 30; i++) {
        statuses.add(new GatewayClient(gateways.get(i % 3)).chat("n").statusCode());
      }
      assertEquals(List.of(200), statuses.stream().distinct().toList(), "100% answered while Redis is down");
      assertEquals(3, warnings(log).size(), "one warning per instance for the whole outage: " + warnings(log));

      fleet.redis.restart();
      fleet.awaitSharing(Duration.ofSeconds(15));
      // An instance reports "redis" as soon as its state flips; the line that says so follows on the thread that
      // flipped it, a moment later. Wait for all three, then count: a second line from one instance still fails.
      Await.until(Duration.ofSeconds(2), () -> backLines(log) >= 3,
          "each of the three instances logs that Redis is back");
      assertEquals(3, backLines(log), "each instance says once that Redis is back");
      assertEquals(3, warnings(log).size(), "no more warnings");
      assertTrue(log.lines().stream().noneMatch(l -> l.contains(REDIS_PASSWORD)), "the Redis password is never logged");
      // Each instance rested the limited key for n on its own during the outage; they agree once back.
      Await.until(Duration.ofSeconds(5), () -> gateways.stream().allMatch(g -> cooling(g, 0, "n")),
          "windows opened during the outage are shared");

      upstream.respondWith(r -> UpstreamResponse.rateLimited(Duration.ofSeconds(60)));
      new GatewayClient(fleet.c).chat("n");
      Await.until(Duration.ofSeconds(1), () -> cooling(fleet.a, 1, "n") && cooling(fleet.b, 1, "n"),
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
    return managementJson(gateway, "upstream-status");
  }

  private static long backLines(LogCapture log) {
    return log.lines().stream().filter(l -> l.contains("is back; sharing state again")).count();
  }
}
