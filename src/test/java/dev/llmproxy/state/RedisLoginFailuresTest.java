package dev.llmproxy.state;

import static dev.llmproxy.state.SharedStateFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.management.InMemoryLoginFailures;
import dev.llmproxy.management.LoginFailures;
import dev.llmproxy.management.LoginFailures.Check;
import dev.llmproxy.management.LoginFailures.Refused;
import dev.llmproxy.management.LoginFailuresContract;
import dev.llmproxy.testing.RedisProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lockout policy kept in a real redis-server: the contract every store keeps, then what only a shared store
 * does: several instances add up to one lock, checks pending on one hold back another, and a Redis outage falls back
 * to counting on each instance, handed to Redis when it is back.
 */
class RedisLoginFailuresTest extends LoginFailuresContract {
  /** Generous: the contract's 200 parallel admissions poll Redis on a busy two-core machine. */
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration RECOVERY = Duration.ofSeconds(10);
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final String CLIENT = "10.0.0.1";

  private static RedisProcess redis;
  private static SharedStateFixture fleet;
  /** Three instances' links to Redis, shared by the tests (each has keys of its own). */
  private static final List<RedisConnections> LINKS = new ArrayList<>();

  /** This test's keys. */
  private final String prefix = "lf" + PREFIXES.incrementAndGet() + ":";
  private int instances;

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.start();
    fleet = new SharedStateFixture(redis, "unused:");
    for (int i = 0; i < 3; i++) {
      LINKS.add(fleet.connections(TIMEOUT));
    }
    fleet.awaitUp(RECOVERY);
  }

  @AfterAll
  static void stopRedis() {
    fleet.close();
    redis.close();
  }

  /** Another instance, on the next link. */
  @Override
  protected LoginFailures newFailures(Clock clock, Duration maxWait) {
    return new RedisLoginFailures(LINKS.get(instances++ % LINKS.size()), prefix, TIMEOUT,
        new InMemoryLoginFailures(clock), clock, maxWait);
  }

  private static RedisLoginFailures instance(SharedStateFixture fleet, Clock clock) {
    return instance(fleet, clock, TIMEOUT);
  }

  private static RedisLoginFailures instance(SharedStateFixture fleet, Clock clock, Duration timeout) {
    RedisConnections link = fleet.connections(timeout);
    fleet.awaitUp(RECOVERY);
    return new RedisLoginFailures(link, fleet.prefix(), timeout, new InMemoryLoginFailures(clock), clock);
  }

  private Refused failOnce(LoginFailures on) {
    assertInstanceOf(Check.class, on.admit(CLIENT, LOCKOUT));
    return on.failed(CLIENT, LOCKOUT);
  }

  @Test
  void wrongKeysThroughTwoInstancesAddUpToOneLockThatTheThirdHoldsAndTheRightKeyStillGetsIn() {
    LoginFailures a = newFailures(clock, LoginFailures.MAX_WAIT);
    LoginFailures b = newFailures(clock, LoginFailures.MAX_WAIT);
    LoginFailures c = newFailures(clock, LoginFailures.MAX_WAIT);
    for (int i = 0; i < 2; i++) {
      assertNull(failOnce(a));
      assertNull(failOnce(b));
    }
    assertEquals(new Refused(Duration.ofSeconds(1), false), failOnce(a), "the fifth failure, wherever it happens");

    assertEquals(new Check(true), c.admit(CLIENT, LOCKOUT), "C knows the client is locked");
    assertEquals(new Refused(Duration.ofSeconds(1), false), c.failed(CLIENT, LOCKOUT));
    assertEquals(new Refused(Duration.ofSeconds(1), false), b.admit(CLIENT, LOCKOUT), "B holds C's pause");
    clock.advance(Duration.ofSeconds(1));

    assertEquals(new Check(true), b.admit(CLIENT, LOCKOUT));
    b.succeeded(CLIENT);
    assertEquals(new Check(false), c.admit(CLIENT, LOCKOUT), "the right key on B cleared the lock on C");
    c.failed(CLIENT, LOCKOUT);
  }

  @Test
  void checksPendingOnOneInstanceHoldBackGuessesOnAnotherUntilTheyAreReportedOrGivenUp() {
    LoginFailures a = newFailures(clock, LoginFailures.MAX_WAIT);
    LoginFailures b = newFailures(clock, Duration.ofMillis(200));
    for (int i = 0; i < LoginFailures.MAX_PER_CLIENT; i++) {
      assertEquals(new Check(false), a.admit(CLIENT, LOCKOUT));
    }

    assertEquals(new Refused(Duration.ofSeconds(1), false), b.admit(CLIENT, LOCKOUT),
        "five checks pending on A may lock the client: B waits for them, then gives up");
    a.failed(CLIENT, LOCKOUT);
    assertEquals(new Refused(Duration.ofSeconds(1), false), b.admit(CLIENT, LOCKOUT), "still undecided");

    clock.advance(RedisLoginFailures.PENDING_TTL.plusSeconds(1));
    assertEquals(new Check(false), b.admit(CLIENT, LOCKOUT),
        "checks never reported (their instance stopped) count no longer than " + RedisLoginFailures.PENDING_TTL);
    b.succeeded(CLIENT);
  }

  @Test
  void withRedisDownEachInstanceCountsItselfAndHandsItsCountsToRedisWhenItIsBack() {
    try (RedisProcess own = RedisProcess.start(); SharedStateFixture outage = new SharedStateFixture(own, "down:")) {
      LoginFailures a = instance(outage, clock);
      LoginFailures b = instance(outage, clock);
      assertNull(failOnce(a), "counted in Redis");
      own.kill();
      outage.awaitDown(RECOVERY);

      for (int i = 0; i < 4; i++) {
        long start = System.nanoTime();
        assertNull(failOnce(a));
        assertTrue(System.nanoTime() - start < TIMEOUT.toNanos(), "no check waits on a dead Redis");
      }
      assertEquals(new Refused(Duration.ofSeconds(1), false), failOnce(a), "A alone still locks: never no limit");
      assertEquals(new Check(false), b.admit(CLIENT, LOCKOUT), "B has not seen A's failures");
      b.succeeded(CLIENT);

      own.restart();
      outage.awaitUp(RECOVERY);
      await(RECOVERY, () -> own.command("HGET", "down:login:client:" + CLIENT, "failures").equals("5"),
          "A hands its failures to Redis");
      assertEquals(new Check(true), b.admit(CLIENT, LOCKOUT), "the lock A made alone now holds on B");
      b.failed(CLIENT, LOCKOUT);
    }
  }

  @Test
  void aFrozenRedisHoldsACheckNoLongerThanTheTimeoutAndTheCheckIsCountedHere() {
    Duration timeout = Duration.ofMillis(200);
    try (RedisProcess own = RedisProcess.start(); SharedStateFixture frozen = new SharedStateFixture(own, "frozen:")) {
      LoginFailures a = instance(frozen, clock, timeout);
      own.pause();
      try {
        long start = System.nanoTime();
        assertEquals(new Check(false), a.admit(CLIENT, LOCKOUT), "admitted here when Redis does not answer");
        assertTrue(System.nanoTime() - start < timeout.multipliedBy(3).toNanos(), "waited about the timeout at most");
        for (int i = 0; i < 4; i++) {
          assertNull(a.failed(CLIENT, LOCKOUT));
          assertInstanceOf(Check.class, a.admit(CLIENT, LOCKOUT));
        }
        assertEquals(new Refused(Duration.ofSeconds(1), false), a.failed(CLIENT, LOCKOUT),
            "counted here while Redis is frozen: the fifth failure locks");
      } finally {
        own.resume();
      }
    }
  }
}
