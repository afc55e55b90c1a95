package dev.llmproxy.it;

import static dev.llmproxy.it.RedisFleet.SECRET;
import static dev.llmproxy.it.RedisFleet.management;
import static dev.llmproxy.it.RedisFleet.managementJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.testing.Await;
import dev.llmproxy.testing.GatewayServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Usage and the management lockout across three gateway instances on one Redis ({@link RedisFleet}): usage through
 * A and B adds up on C, a DELETE through B starts a new period on A and C, wrong keys through A and B add up to a lock
 * that C holds while the right key still gets in, and both go on through a Redis outage and are shared again after.
 */
class SharedUsageAndLockoutIT {
  /** Usage is written every 250 ms and read when asked for. */
  private static final Duration SHARED = Duration.ofSeconds(2);
  private static final Duration RECOVERY = Duration.ofSeconds(15);
  private static final String WRONG_KEY = "not-the-management-secret";

  private static RedisFleet fleet;

  @BeforeAll
  static void startFleet() {
    fleet = RedisFleet.start("it-counts:");
  }

  @AfterAll
  static void stopFleet() {
    fleet.close();
  }

  @BeforeEach
  void aNewUsagePeriodEverywhere() {
    fleet.awaitSharing(RECOVERY);
    assertEquals(200, management(fleet.a, "DELETE", "usage", null).statusCode());
    Await.until(SHARED, () -> fleet.all().stream().allMatch(g -> requests(g) == 0), "every instance starts the period");
  }

  @Test
  void usageThroughAAndBAddsUpOnCAndADeleteThroughBStartsANewPeriodEverywhere() {
    chats(fleet.a, 2);
    chats(fleet.b, 3);
    Await.until(SHARED, () -> requests(fleet.c) == 5, "C counts what A and B served");
    JsonNode onC = usage(fleet.c);
    JsonNode row = onC.at("/clients/0/models/0");
    assertEquals(5, row.get("succeeded").asLong(), onC.toString());
    assertEquals(5 * 12, row.get("total-tokens").asLong(), "the upstream's token counts add up too: " + onC);
    Await.until(SHARED, () -> requests(fleet.a) == 5 && requests(fleet.b) == 5, "so do A and B");
    assertEquals(onC.get("since"), usage(fleet.a).get("since"), "one period");

    HttpResponse<String> reset = management(fleet.b, "DELETE", "usage", null);
    assertEquals(200, reset.statusCode(), reset.body());
    assertEquals(0, requests(fleet.b), "B starts at once");
    String since = usage(fleet.b).get("since").asText();
    Await.until(SHARED, () -> requests(fleet.a) == 0 && requests(fleet.c) == 0,
        "the DELETE through B starts the new period on A and C");
    assertEquals(since, usage(fleet.a).get("since").asText());
    assertEquals(since, usage(fleet.c).get("since").asText());

    chats(fleet.c, 1);
    Await.until(SHARED, () -> requests(fleet.a) == 1, "the new period adds up too");
  }

  @Test
  void wrongKeysThroughAAndBAddUpToALockThatCHoldsAndTheRightKeyStillGetsIn() throws InterruptedException {
    String client = "198.51.100.7";
    for (GatewayServer g : List.of(fleet.a, fleet.b, fleet.a, fleet.b, fleet.a)) {
      assertEquals(401, guess(g, client).statusCode(), "five failures in all, none of them a lock yet");
    }

    HttpResponse<String> onC = guess(fleet.c, client);
    assertEquals(403, onC.statusCode(), "C counts A's and B's failures: " + onC.body());
    assertTrue(onC.body().contains("IP banned due to too many failed attempts"), onC.body());
    assertEquals(200, get(fleet.c, SECRET, client), "the right key still gets in, through the lock");
    assertEquals(401, guess(fleet.a, client).statusCode(), "and it cleared the client's count everywhere");
    assertEquals(401, guess(fleet.c, "198.51.100.8").statusCode(), "other addresses were never locked");
  }

  @Test
  void throughARedisOutageUsageAndLockoutsAreCountedPerInstanceThenSharedAgain() throws InterruptedException {
    chats(fleet.c, 1);
    Await.until(SHARED, () -> requests(fleet.a) == 1, "A sees C's request");
    String since = usage(fleet.a).get("since").asText();
    String client = "203.0.113.9";

    fleet.redis.kill();
    fleet.awaitDegraded(RECOVERY);
    chats(fleet.a, 2);
    chats(fleet.b, 2);
    assertEquals(3, requests(fleet.a), "A adds its own requests to what it last knew of the others");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, guess(fleet.a, client).statusCode(), "A counts alone while Redis is down");
    }
    assertEquals(403, guess(fleet.a, client).statusCode(), "and still locks: never without a limit");
    assertEquals(401, guess(fleet.b, client).statusCode(), "B counts on its own meanwhile");

    fleet.redis.restart();
    fleet.awaitSharing(RECOVERY);
    Await.until(SHARED, () -> requests(fleet.c) == 5 && requests(fleet.b) == 5,
        "counts from before and during the outage are shared");
    assertEquals(since, usage(fleet.c).get("since").asText(), "in the same period");
    Await.until(RECOVERY, () -> !List.of("$-1", "0").contains(fleet.redis.command("HGET",
        fleet.keyPrefix + "login:client:" + client, "until")), "the lock A made alone reaches Redis");
    HttpResponse<String> onC = guess(fleet.c, client);
    assertEquals(403, onC.statusCode(), "C holds the lock A made during the outage: " + onC.body());
    assertEquals(200, get(fleet.c, SECRET, client), "the right key still gets in");
  }

  private static void chats(GatewayServer gateway, int count) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      statuses.add(new GatewayClient(gateway).chat("m").statusCode());
    }
    assertEquals(List.of(200), statuses.stream().distinct().toList());
  }

  private static JsonNode usage(GatewayServer gateway) {
    return managementJson(gateway, "usage");
  }

  /** Every request of the period that {@code gateway} reports, over all clients and models. */
  private static long requests(GatewayServer gateway) {
    long sum = 0;
    for (JsonNode client : usage(gateway).get("clients")) {
      for (JsonNode model : client.get("models")) {
        sum += model.get("requests").asLong();
      }
    }
    return sum;
  }

  private static HttpResponse<String> guess(GatewayServer gateway, String client) {
    return management(gateway, WRONG_KEY, client, "GET", "debug", null);
  }

  /** The status of {@code GET debug} with {@code key} from {@code client}, after the pauses its throttle asks for. */
  private static int get(GatewayServer gateway, String key, String client) throws InterruptedException {
    HttpResponse<String> r = management(gateway, key, client, "GET", "debug", null);
    for (int i = 0; i < 3 && r.statusCode() == 403 && r.headers().firstValue("Retry-After").isPresent(); i++) {
      Thread.sleep(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()) * 1000); // as it asks
      r = management(gateway, key, client, "GET", "debug", null);
    }
    return r.statusCode();
  }
}
