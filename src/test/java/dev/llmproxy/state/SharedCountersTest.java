package dev.llmproxy.state;

import static dev.llmproxy.state.SharedStateFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.routing.MutableClock;
import dev.llmproxy.testing.RedisProcess;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Counters that add up across instances (Redis) or within one (memory), and expire. */
class SharedCountersTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void redisCountersAddUpAcrossInstancesAndExpireWithTheirTtl() throws Exception {
    try (RedisProcess redis = RedisProcess.start(); SharedStateFixture fleet = new SharedStateFixture(redis, "n:")) {
      SharedCounters a = fleet.instance().counters();
      SharedCounters b = fleet.instance().counters();
      fleet.awaitUp(Duration.ofSeconds(5));

      assertEquals(2, a.add("logins:10.0.0.1", 2, MINUTE).total().get(5, TimeUnit.SECONDS));
      SharedCounters.Added onB = b.add("logins:10.0.0.1", 1, MINUTE);
      assertEquals(1, onB.estimate(), "B knows only its own addition at once");
      assertEquals(3, onB.total().get(5, TimeUnit.SECONDS), "Redis answers the fleet's total");
      assertEquals(3, b.estimate("logins:10.0.0.1"), "which becomes B's estimate");
      assertEquals(3, a.read("logins:10.0.0.1").get(5, TimeUnit.SECONDS));
      assertEquals(3, a.estimate("logins:10.0.0.1"), "a read refreshes the estimate");
      long ttl = Long.parseLong(redis.command("PTTL", "n:counter:logins:10.0.0.1").substring(1));
      assertTrue(ttl > 55_000 && ttl <= 60_000, "expires with the counter: " + ttl);

      b.reset("logins:10.0.0.1");
      await(Duration.ofSeconds(5), () -> a.read("logins:10.0.0.1").join() == 0, "reset everywhere");

      a.add("short", 5, Duration.ofMillis(200)).total().get(5, TimeUnit.SECONDS);
      await(Duration.ofSeconds(5), () -> a.estimate("short") == 0 && a.read("short").join() == 0, "expired");
    }
  }

  @Test
  void localCountersCountUntilTheyExpire() {
    MutableClock clock = new MutableClock();
    LocalCounters counters = new LocalCounters(clock);

    assertEquals(1, counters.add("rpm:team-a", 1, MINUTE).estimate());
    assertEquals(4, counters.add("rpm:team-a", 3, MINUTE).total().join());
    assertEquals(4, counters.read("rpm:team-a").join());
    clock.advance(MINUTE.plusMillis(1));
    assertEquals(0, counters.estimate("rpm:team-a"));
    assertEquals(1, counters.add("rpm:team-a", 1, MINUTE).estimate(), "an expired counter starts again");
    counters.reset("rpm:team-a");
    assertEquals(0, counters.estimate("rpm:team-a"));
  }

  @Test
  void localCountersCountTheHighestFloorOnceUnderTheirAdditions() {
    LocalCounters counters = new LocalCounters(new MutableClock());

    counters.add("tokens", 5, MINUTE);
    assertEquals(45, counters.raise("tokens", 40, MINUTE).estimate());
    assertEquals(45, counters.raise("tokens", 30, MINUTE).estimate(), "a lower floor changes nothing");
    assertEquals(55, counters.raise("tokens", 50, MINUTE).estimate(), "a higher one adds what it lacks");
  }
}
