package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmproxy.management.LoginFailures.Check;
import dev.llmproxy.management.LoginFailures.Refused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryLoginFailuresTest {
  private static final Duration LOCKOUT = Duration.ofMinutes(30);

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
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
      clock.now = clock.now.plus(standing.retryAfter());
    }

    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), pauses);
    assertInstanceOf(Check.class, failures.admit("10.0.0.2", LOCKOUT), "other clients are not affected");
  }

  @Test
  void theLockEndsAfterTheLockoutWithoutFurtherFailuresAndCountingStartsAfresh() {
    for (int i = 0; i < 6; i++) {
      failOnce("10.0.0.1");
    }
    clock.now = clock.now.plus(LOCKOUT);

    assertEquals(new Check(false), failures.admit("10.0.0.1", LOCKOUT));
    assertNull(failures.failed("10.0.0.1", LOCKOUT));
  }

  @Test
  void failuresOlderThanTheWindowAreForgotten() {
    for (int i = 0; i < 4; i++) {
      failOnce("10.0.0.1");
    }
    clock.now = clock.now.plus(LOCKOUT).plusSeconds(1);

    for (int i = 0; i < 4; i++) {
      assertNull(failOnce("10.0.0.1"));
    }
  }

  @Test
  void twoHundredParallelAdmissionsGetFiveChecks() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<LoginFailures.Admission>> admissions = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      admissions.add(pool.submit(() -> {
        go.await();
        return failures.admit("10.0.0.1", LOCKOUT);
      }));
    }
    go.countDown();
    int checks = 0;
    for (Future<LoginFailures.Admission> a : admissions) {
      if (a.get() instanceof Check) {
        checks++;
      }
    }
    pool.shutdown();

    assertEquals(5, checks, "pending checks count against the limit");
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
      clock.now = clock.now.plus(LoginFailures.MAX_PAUSE);
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
