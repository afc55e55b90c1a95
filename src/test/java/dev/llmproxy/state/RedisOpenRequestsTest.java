package dev.llmproxy.state;

import static dev.llmproxy.state.SharedStateFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.routing.OpenElsewhere;
import dev.llmproxy.testing.RedisProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The requests capped clients hold open, shared by several instances on a real redis-server: each counts the others'
 * within a sync, the places of an instance that stops come back (at once when it closes, when its hash expires when
 * it dies), and without Redis each instance is left with its own.
 */
class RedisOpenRequestsTest {
  /** Syncs go every 250 ms. */
  private static final Duration SHARED = Duration.ofSeconds(1);
  private static final Duration RECOVERY = Duration.ofSeconds(10);
  private static final String TEAM_A = "key:0123456789abcdef";
  private static final String TEAM_B = "key:fedcba9876543210";

  private static RedisProcess redis;
  private SharedStateFixture fleet;

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void closeFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private SharedStateFixture fleet(TestInfo test) {
    fleet = new SharedStateFixture(redis, "o-" + test.getTestMethod().orElseThrow().getName() + ":");
    return fleet;
  }

  /** An instance of {@code fleet} that holds what {@code held} says. */
  private static OpenElsewhere instance(SharedStateFixture fleet, Map<String, Integer> held) {
    SharedState state = fleet.instance();
    state.shareOpenRequests(() -> Map.copyOf(held));
    return state.openElsewhere();
  }

  @Test
  void eachInstanceCountsWhatTheOthersHold(TestInfo test) {
    SharedStateFixture f = fleet(test);
    Map<String, Integer> heldOnA = new ConcurrentHashMap<>();
    Map<String, Integer> heldOnB = new ConcurrentHashMap<>();
    OpenElsewhere a = instance(f, heldOnA);
    OpenElsewhere b = instance(f, heldOnB);
    OpenElsewhere c = instance(f, Map.of());
    f.awaitUp(RECOVERY);

    heldOnA.put(TEAM_A, 2);
    heldOnB.put(TEAM_A, 1);
    heldOnB.put(TEAM_B, 3);
    await(SHARED, () -> c.open(TEAM_A) == 3 && c.open(TEAM_B) == 3, "C counts A's and B's requests, summed");
    await(SHARED, () -> a.open(TEAM_A) == 1 && a.open(TEAM_B) == 3, "A counts B's, not its own");
    await(SHARED, () -> b.open(TEAM_A) == 2 && b.open(TEAM_B) == 0, "B counts A's");

    heldOnB.clear();
    await(SHARED, () -> a.open(TEAM_A) == 0 && a.open(TEAM_B) == 0 && c.open(TEAM_A) == 2,
        "the requests B no longer holds count nowhere");
  }

  @Test
  void anInstanceThatClosesGivesItsPlacesBackAtOnce(TestInfo test) {
    SharedStateFixture f = fleet(test);
    RedisOpenRequests leaving = new RedisOpenRequests(f.connections(SharedStateFixture.TIMEOUT), f.prefix(),
        SharedStateFixture.TIMEOUT, Clock.systemUTC(), f.scheduler());
    leaving.share(() -> Map.of(TEAM_A, 4));
    OpenElsewhere staying = instance(f, Map.of());
    f.awaitUp(RECOVERY);
    await(SHARED, () -> staying.open(TEAM_A) == 4, "the other instance counts the four");

    leaving.close();
    await(Duration.ofMillis(900), () -> staying.open(TEAM_A) == 0, "gone with the next sync, before any expiry");
  }

  @Test
  void theHashOfAnInstanceThatDiesExpires(TestInfo test) {
    SharedStateFixture f = fleet(test);
    ScheduledExecutorService dyingThreads = f.scheduler();
    RedisOpenRequests dying = new RedisOpenRequests(f.connections(SharedStateFixture.TIMEOUT), f.prefix(),
        SharedStateFixture.TIMEOUT, Clock.systemUTC(), dyingThreads);
    dying.share(() -> Map.of(TEAM_A, 4));
    OpenElsewhere staying = instance(f, Map.of());
    f.awaitUp(RECOVERY);
    await(SHARED, () -> staying.open(TEAM_A) == 4, "the other instance counts the four");

    dyingThreads.shutdownNow(); // no more syncs, and no close: as a process that was killed
    long died = System.nanoTime();
    await(Duration.ofSeconds(4), () -> staying.open(TEAM_A) == 0, "its hash expired");
    Duration after = Duration.ofNanos(System.nanoTime() - died);
    assertTrue(after.compareTo(RedisOpenRequests.HOLD_FOR.minus(RedisOpenRequests.SYNC_EVERY).minusMillis(100)) > 0,
        "held until its hash expired, not dropped at once: " + after);
  }

  @Test
  void withoutRedisEachInstanceIsLeftWithItsOwn() {
    try (RedisProcess own = RedisProcess.start();
        SharedStateFixture outage = new SharedStateFixture(own, "o-outage:")) {
      OpenElsewhere a = instance(outage, Map.of());
      instance(outage, Map.of(TEAM_A, 2));
      outage.awaitUp(RECOVERY);
      await(SHARED, () -> a.open(TEAM_A) == 2, "A counts B's two");

      own.kill();
      assertEquals(2, a.open(TEAM_A), "the last answer still counts right after Redis went");
      await(Duration.ofSeconds(4), () -> a.open(TEAM_A) == 0, "then each instance counts only its own");

      own.restart();
      outage.awaitUp(RECOVERY);
      await(SHARED, () -> a.open(TEAM_A) == 2, "B's two count again once Redis is back");
    }
  }
}
