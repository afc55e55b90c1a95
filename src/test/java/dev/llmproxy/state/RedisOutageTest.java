package dev.llmproxy.state;

import static dev.llmproxy.state.SharedStateFixture.await;
import static dev.llmproxy.state.SharedStateFixture.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.routing.Cooldowns;
import dev.llmproxy.routing.Credential;
import dev.llmproxy.testing.RedisProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redis down or slow: calls never wait, the store says degraded, one warning per outage and one line when it is
 * back, and what happened meanwhile is shared once Redis answers again.
 */
class RedisOutageTest {
  private static final Credential KEY = key("p:0a1b2c3d4e5f");
  private static final Duration RECOVERY = Duration.ofSeconds(10);

  @Test
  void aKilledRedisDegradesWithOneWarningAndWindowsOpenedMeanwhileAreSharedWhenItIsBack() throws Exception {
    try (RedisProcess redis = RedisProcess.start(); SharedStateFixture fleet = new SharedStateFixture(redis, "o:")) {
      SharedState a = fleet.instance();
      SharedState b = fleet.instance();
      fleet.awaitUp(Duration.ofSeconds(30)); // connecting takes what a loaded machine gives it

      redis.kill();
      await(RECOVERY, () -> a.status().equals("degraded") && b.status().equals("degraded"), "both degraded");
      for (int i = 0; i < 200; i++) {
        long start = System.nanoTime();
        a.cooldowns().rateLimited(KEY, "m" + i, Duration.ofSeconds(60), "rate limit (HTTP 429)");
        a.cooldowns().succeeded(KEY, "other");
        a.counters().add("requests", 1, Duration.ofMinutes(1));
        assertTrue(System.nanoTime() - start < Duration.ofMillis(50).toNanos(), "no call waits on a dead Redis");
      }
      assertNotNull(a.cooldowns().coolingUntil(KEY, "m7"), "the local view goes on");
      assertEquals(200, a.counters().estimate("requests"));

      redis.restart();
      fleet.awaitUp(RECOVERY);
      await(RECOVERY, () -> b.cooldowns().coolingUntil(KEY, "m199") != null, "B learns A's windows from the outage");
      await(RECOVERY, () -> a.counters().read("requests").join() == 200, "counts made meanwhile reach Redis");

      List<String> warnings = fleet.warnings().stream().filter(w -> w.contains("is not answering")).toList();
      assertEquals(2, warnings.size(), "one warning per instance and outage: " + warnings);
      assertTrue(warnings.get(0).contains("redis://127.0.0.1:" + redis.port()), warnings.get(0));
      assertEquals(2, fleet.infos().stream().filter(i -> i.contains("is back")).count(), fleet.infos().toString());
    }
  }

  @Test
  void aFrozenRedisNeverHoldsACallerAndCountsAsDownAfterTheTimeout() throws Exception {
    try (RedisProcess redis = RedisProcess.start(); SharedStateFixture fleet = new SharedStateFixture(redis, "f:")) {
      SharedState a = fleet.instance(Duration.ofMillis(100));
      SharedState b = fleet.instance(Duration.ofMillis(100));
      fleet.awaitUp(Duration.ofSeconds(30)); // connecting takes what a loaded machine gives it

      redis.pause();
      try {
        long start = System.nanoTime();
        a.cooldowns().coolKey(KEY, Duration.ofSeconds(30), "key fault (HTTP 403)");
        SharedCounters.Added added = a.counters().add("logins:10.0.0.1", 1, Duration.ofMinutes(5));
        assertTrue(System.nanoTime() - start < Duration.ofMillis(50).toNanos(), "calls return at once");
        assertEquals(1, added.estimate());
        await(RECOVERY, () -> a.status().equals("degraded"), "a command outliving state.redis-timeout: degraded");
        // Each command times out on its own: the addition's may end a moment after the one that marked Redis down.
        await(RECOVERY, () -> added.total().isCompletedExceptionally(), "the total is not known");
      } finally {
        redis.resume();
      }
      fleet.awaitUp(RECOVERY);
      await(RECOVERY, () -> b.cooldowns().coolingUntil(KEY, "m") != null, "the window reaches B after all");
      long warnings = fleet.warnings().stream().filter(w -> w.contains("is not answering")).count();
      // A for its command; B only if its ping fell into the pause.
      assertTrue(warnings >= 1 && warnings <= 2, fleet.warnings().toString());
    }
  }

  @Test
  void anInstanceStartedWhileRedisIsDownServesAndJoinsWhenRedisComes() throws Exception {
    try (RedisProcess redis = RedisProcess.start(); SharedStateFixture fleet = new SharedStateFixture(redis, "s:")) {
      SharedState a = fleet.instance();
      fleet.awaitUp(Duration.ofSeconds(30)); // connecting takes what a loaded machine gives it
      redis.kill();
      SharedState late = fleet.instance();
      await(RECOVERY, () -> late.status().equals("degraded"), "it starts degraded");
      late.cooldowns().coolModel(KEY, "m", Duration.ofSeconds(30), "transient (HTTP 502)");
      Cooldowns view = late.cooldowns();
      assertNotNull(view.coolingUntil(KEY, "m"));

      redis.restart();
      fleet.awaitUp(RECOVERY);
      await(RECOVERY, () -> a.cooldowns().coolingUntil(KEY, "m") != null, "its window reaches A");
    }
  }
}
