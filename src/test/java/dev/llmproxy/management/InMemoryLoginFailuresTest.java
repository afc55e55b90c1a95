package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmproxy.management.LoginFailures.Check;
import dev.llmproxy.management.LoginFailures.Refused;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policy kept in this process's memory, and what a shared store hands it while Redis is away. */
class InMemoryLoginFailuresTest extends LoginFailuresContract {
  @Override
  protected LoginFailures newFailures(Clock clock, Duration maxWait) {
    return new InMemoryLoginFailures(clock, maxWait);
  }

  @Test
  void failuresCountedElsewhereLockLikeChecksOfItsOwn() {
    InMemoryLoginFailures failures = new InMemoryLoginFailures(clock);
    assertNull(failures.counted("10.0.0.1", 4, LOCKOUT));
    assertEquals(new Refused(Duration.ofSeconds(1), false), failures.counted("10.0.0.1", 1, LOCKOUT));
    assertEquals(new Check(true), failures.admit("10.0.0.1", LOCKOUT));
    failures.succeeded("10.0.0.1");
  }

  @Test
  void takenFailuresAreForgottenHereWithTheirLocks() {
    InMemoryLoginFailures failures = new InMemoryLoginFailures(clock);
    failures.counted("10.0.0.2", 2, LOCKOUT);
    clock.advance(Duration.ofMinutes(25));
    failures.counted("10.0.0.1", 6, LOCKOUT);
    clock.advance(Duration.ofMinutes(10));

    assertEquals(Map.of("10.0.0.1", 6), failures.takeFailures(LOCKOUT),
        "10.0.0.2's failures left the window; 10.0.0.1 is still locked");
    assertEquals(new Check(false), failures.admit("10.0.0.1", LOCKOUT));
    assertNull(failures.failed("10.0.0.1", LOCKOUT));
    assertEquals(Map.of("10.0.0.1", 1), failures.takeFailures(LOCKOUT));
  }
}
