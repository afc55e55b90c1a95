package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmproxy.management.LoginFailures.Check;
import dev.llmproxy.management.LoginFailures.Refused;
import dev.llmproxy.routing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryLoginFailuresTest {
  private static final Duration LOCKOUT = Duration.ofMinutes(30);

  private final MutableClock clock = new MutableClock();
  private final LoginFailures failures = new InMemoryLoginFailures(clock);

  /** One admitted check that fails; returns where the client stands. */
  private Refused failOnce(String client) {
    assertInstanceOf(Check.class, failures.admit(client, LOCKOUT));
    return failures.failed(client, LOCKOUT);
  }

  @Test
  void theFifthFailureLocksButTheNextCheckRunsAtOnceSoTheRightKeyGetsIn() {
    for (int i = 0; i < 4; i++) {
      assertNull(failOnce("10.0.0.1"));
    }
    assertEquals(new Refused(Duration.ofSeconds(1), false), failOnce("10.0.0.1"));

    assertEquals(new Check(true), failures.admit("10.0.0.1", LOCKOUT));
    failures.succeeded("10.0.0.1");

    for (int i = 0; i < 4; i++) {
      assertNull(failOnce("10.0.0.1"), "the right key cleared the count");
    }
  }

  @Test
  void failuresWhileLockedPauseTheNextCheckLongerEachTimeUpToAMinute() {
    for (int i = 0; i < 5; i++) {
      failOnce("10.0.0.1");
    }
    List<Long> pauses = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      Refused standing = failOnce("10.0.0.1");
      pauses.add(standing.retryAfter().toSeconds());
      assertEquals(standing, failures.admit("10.0.0.1", LOCKOUT), "no check before the pause is over");
      clock.advance(standing.retryAfter());
    }

    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), pauses);
    assertInstanceOf(Check.class, failures.admit("10.0.0.2", LOCKOUT), "other clients are not affected");
  }

  @Test
  void theLockEndsAfterTheLockoutWithoutFurtherFailuresAndCountingStartsAfresh() {
    for (int i = 0; i < 6; i++) {
      failOnce("10.0.0.1");
    }
    clock.advance(LOCKOUT);

    assertEquals(new Check(false), failures.admit("10.0.0.1", LOCKOUT));
    assertNull(failures.failed("10.0.0.1", LOCKOUT));
  }

  @Test
  void failuresOlderThanTheWindowAreForgotten() {
    for (int i = 0; i < 4; i++) {
      failOnce("10.0.0.1");
    }
    clock.advance(LOCKOUT.plusSeconds(1));

    for (int i = 0; i < 4; i++) {
      assertNull(failOnce("10.0.0.1"));
    }
  }

  @Test
  void twoHundredParallelWrongKeysGetFiveChecksThenTheLockDecidesForTheRest() throws Exception {
    LoginFailures waiting = new InMemoryLoginFailures(clock, Duration.ofSeconds(30));
    ExecutorService pool = Executors.newFixedThreadPool(200);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<LoginFailures.Admission>> admissions = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      admissions.add(pool.submit(() -> {
        go.await();
        return waiting.admit("10.0.0.1", LOCKOUT);
      }));
    }
    go.countDown();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (admissions.stream().filter(Future::isDone).count() < 5 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(5, admissions.stream().filter(Future::isDone).count(), "the others wait for these five");
    for (int i = 0; i < 5; i++) {
      waiting.failed("10.0.0.1", LOCKOUT);
    }
    Map<LoginFailures.Admission, Long> outcomes = new HashMap<>();
    for (Future<LoginFailures.Admission> a : admissions) {
      outcomes.merge(a.get(), 1L, Long::sum);
    }
    pool.shutdown();

    assertEquals(Map.of(new Check(false), 5L, new Check(true), 1L, new Refused(Duration.ofSeconds(1), false), 194L),
        outcomes, "five checks, then the lock's first check at once, then the throttle");
  }

  @Test
  void parallelRightKeysAllGetIn() throws Exception {
    LoginFailures waiting = new InMemoryLoginFailures(clock, Duration.ofSeconds(30));
    ExecutorService pool = Executors.newFixedThreadPool(50);
    List<Future<LoginFailures.Admission>> admissions = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      admissions.add(pool.submit(() -> {
        LoginFailures.Admission admission = waiting.admit("127.0.0.1", LOCKOUT);
        if (admission instanceof Check) {
          waiting.succeeded("127.0.0.1");
        }
        return admission;
      }));
    }
    for (Future<LoginFailures.Admission> a : admissions) {
      assertEquals(new Check(false), a.get());
    }
    pool.shutdown();
  }

  @Test
  void manyClientsTogetherAreLimitedInTotal() {
    for (int i = 0; i < LoginFailures.MAX_TOTAL - 1; i++) {
      assertNull(failOnce("203.0.113." + i));
    }
    assertEquals(new Refused(Duration.ofSeconds(1), true), failOnce("203.0.113.200"));

    assertEquals(new Check(true), failures.admit("198.51.100.1", LOCKOUT), "one check at once, the owner's perhaps");
    assertEquals(new Refused(Duration.ofSeconds(1), true), failures.admit("198.51.100.2", LOCKOUT));
    failures.succeeded("198.51.100.1");
  }

  @Test
  void aLockedClientsOwnFailuresDoNotLockEveryone() {
    for (int i = 0; i < 5 + 40; i++) {
      failOnce("10.0.0.1");
      clock.advance(LoginFailures.MAX_PAUSE);
    }

    assertEquals(new Check(false), failures.admit("10.0.0.2", LOCKOUT));
  }

  @Test
  void lockoutZeroNeverRefuses() {
    for (int i = 0; i < 50; i++) {
      assertEquals(new Check(false), failures.admit("10.0.0.1", Duration.ZERO));
      assertNull(failures.failed("10.0.0.1", Duration.ZERO));
    }
  }
}
