package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginLockoutTest {
  private static final Duration THIRTY_MINUTES = Duration.ofMinutes(30);

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final LoginLockout lockout = new LoginLockout(clock);

  @Test
  void theFifthFailureLocksTheAddressForTheConfiguredTime() {
    for (int i = 0; i < 4; i++) {
      assertFalse(lockout.onFailure("10.0.0.1", THIRTY_MINUTES));
      assertEquals(Duration.ZERO, lockout.remaining("10.0.0.1"));
    }

    assertTrue(lockout.onFailure("10.0.0.1", THIRTY_MINUTES));
    assertEquals(THIRTY_MINUTES, lockout.remaining("10.0.0.1"));
    assertEquals(Duration.ZERO, lockout.remaining("10.0.0.2"), "other addresses are not affected");
  }

  @Test
  void theLockoutEndsAfterTheConfiguredTimeAndCountingStartsAfresh() {
    for (int i = 0; i < 5; i++) {
      lockout.onFailure("10.0.0.1", THIRTY_MINUTES);
    }
    clock.now = clock.now.plus(Duration.ofMinutes(29));
    assertEquals(Duration.ofMinutes(1), lockout.remaining("10.0.0.1"));

    clock.now = clock.now.plus(Duration.ofMinutes(1));

    assertEquals(Duration.ZERO, lockout.remaining("10.0.0.1"));
    assertFalse(lockout.onFailure("10.0.0.1", THIRTY_MINUTES), "one new failure does not lock again");
  }

  @Test
  void aSuccessClearsTheCount() {
    for (int i = 0; i < 4; i++) {
      lockout.onFailure("10.0.0.1", THIRTY_MINUTES);
    }
    lockout.onSuccess("10.0.0.1");

    assertFalse(lockout.onFailure("10.0.0.1", THIRTY_MINUTES));
  }

  @Test
  void failuresOlderThanTheWindowAreForgotten() {
    for (int i = 0; i < 4; i++) {
      lockout.onFailure("10.0.0.1", THIRTY_MINUTES);
    }
    clock.now = clock.now.plus(Duration.ofMinutes(31));

    assertFalse(lockout.onFailure("10.0.0.1", THIRTY_MINUTES));
  }

  @Test
  void aZeroLockoutNeverLocks() {
    for (int i = 0; i < 10; i++) {
      assertFalse(lockout.onFailure("10.0.0.1", Duration.ZERO));
    }
    assertEquals(Duration.ZERO, lockout.remaining("10.0.0.1"));
  }

  @Test
  void remainingTimeIsPrintedLikeCliProxyApi() {
    assertEquals("30m0s", ManagementAuthFilter.format(THIRTY_MINUTES));
    assertEquals("29m59s", ManagementAuthFilter.format(Duration.ofSeconds(1799)));
    assertEquals("1s", ManagementAuthFilter.format(Duration.ofMillis(200)));
  }
}
