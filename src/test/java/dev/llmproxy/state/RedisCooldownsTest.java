package dev.llmproxy.state;

import static dev.llmproxy.state.SharedStateFixture.await;
import static dev.llmproxy.state.SharedStateFixture.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.routing.Cooldowns;
import dev.llmproxy.routing.Credential;
import dev.llmproxy.testing.RedisProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Cooldowns shared through a real redis-server between two stores, as two gateway instances have them. */
class RedisCooldownsTest {
  private static final Duration PROPAGATION = Duration.ofSeconds(1);
  private static final Credential KEY = key("p:0a1b2c3d4e5f");

  private static RedisProcess redis;
  private SharedStateFixture fleet;
  private Cooldowns a;
  private Cooldowns b;

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void twoInstances(TestInfo test) {
    fleet = new SharedStateFixture(redis, "t-" + test.getTestMethod().orElseThrow().getName() + ":");
    a = fleet.instance().cooldowns();
    b = fleet.instance().cooldowns();
    fleet.awaitUp(Duration.ofSeconds(30)); // connecting takes what a loaded machine gives it
  }

  @AfterEach
  void close() {
    fleet.close();
  }

  @Test
  void aWindowOpenedOnOneInstanceIsHonouredByTheOtherWithinASecondWithItsReason() {
    a.coolModel(KEY, "m", Duration.ofSeconds(30), "transient (HTTP 503)");

    await(PROPAGATION, () -> b.coolingUntil(KEY, "m") != null, "B sees A's window");
    Instant until = b.coolingUntil(KEY, "m");
    assertTrue(Duration.between(b.now(), until).compareTo(Duration.ofSeconds(28)) > 0, until.toString());
    assertEquals(List.of(new Cooldowns.Active(KEY.id(), "m", until, "transient (HTTP 503)")), b.activeWindows());
    assertNull(b.coolingUntil(KEY, "other-model"), "one model rests, not the key");
    long ttl = Long.parseLong(redis.command("PTTL", "t-aWindowOpenedOnOneInstanceIsHonouredByTheOtherWithinASecondWithItsReason:cooldown:" + KEY.id() + "|m").substring(1));
    assertTrue(ttl > 28_000 && ttl <= 30_000, "the Redis entry expires with the window: " + ttl);
  }

  @Test
  void aKeyWideWindowRestsEveryModelOfTheKeyEverywhere() {
    b.coolKey(KEY, Duration.ofMinutes(30), "key fault (HTTP 401)");

    await(PROPAGATION, () -> a.coolingUntil(KEY, "any-model") != null, "A sees B's key window");
    Cooldowns.Active window = a.activeWindows().get(0);
    assertNull(window.model());
    assertEquals("key fault (HTTP 401)", window.reason());
  }

  @Test
  void retryAfterIsHonouredAlikeAndA429OnTheOtherInstanceBacksOffAtTheNextLevel() {
    a.rateLimited(KEY, "m", null, "rate limit (HTTP 429)");
    await(PROPAGATION, () -> b.coolingUntil(KEY, "m") != null, "B sees A's backoff");
    Duration first = Duration.between(b.now(), b.coolingUntil(KEY, "m"));
    assertTrue(first.compareTo(Duration.ofSeconds(1)) <= 0, "level 1: 1 s, " + first);

    b.rateLimited(KEY, "m", null, "rate limit (HTTP 429)");
    await(PROPAGATION, () -> Duration.between(a.now(), a.coolingUntil(KEY, "m")).toMillis() > 1500,
        "A sees B's level-2 backoff (2 s)");
    assertTrue(Duration.between(b.now(), b.coolingUntil(KEY, "m")).toMillis() > 1500, "B itself backs off 2 s");

    a.rateLimited(KEY, "m", Duration.ofSeconds(40), "rate limit (HTTP 429)");
    await(PROPAGATION, () -> Duration.between(b.now(), b.coolingUntil(KEY, "m")).toSeconds() >= 38,
        "B honours A's Retry-After");
  }

  @Test
  void aSuccessAnywhereClearsTheModelsWindowAndLevelEverywhere() {
    a.rateLimited(KEY, "m", Duration.ofMillis(300), "rate limit (HTTP 429)");
    await(PROPAGATION, () -> b.coolingUntil(KEY, "m") != null, "B sees A's window");
    await(PROPAGATION, () -> b.coolingUntil(KEY, "m") == null, "the 300 ms window ends");

    b.succeeded(KEY, "m");
    b.rateLimited(KEY, "m", null, "rate limit (HTTP 429)");

    await(PROPAGATION, () -> a.coolingUntil(KEY, "m") != null, "A sees B's new window");
    assertTrue(Duration.between(a.now(), a.coolingUntil(KEY, "m")).toMillis() <= 1000,
        "after a success the backoff starts again at level 1");
  }

  @Test
  void aWindowOpenedBeforeAnInstanceStartsIsReadWhenItConnects() {
    a.coolModel(KEY, "m", Duration.ofSeconds(30), "model gone (HTTP 404)");
    await(PROPAGATION, () -> b.coolingUntil(KEY, "m") != null, "B sees it");

    Cooldowns late = fleet.instance().cooldowns();

    await(Duration.ofSeconds(5), () -> late.coolingUntil(KEY, "m") != null, "a new instance reads open windows");
    assertNotNull(late.activeWindows().get(0).reason());
  }
}
