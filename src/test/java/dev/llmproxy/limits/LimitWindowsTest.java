package dev.llmproxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class LimitWindowsTest {
  private static final Instant T = Instant.parse("2026-05-31T23:59:45.250Z");

  @Test
  void windowsAreCalendarMinutesAndMonthsInUtc() {
    assertEquals(T.getEpochSecond() / 60, LimitWindows.minute(T));
    assertEquals(Duration.ofMillis(14_750), LimitWindows.untilNextMinute(T));
    assertEquals(YearMonth.of(2026, 5), LimitWindows.month(T));
    assertEquals(Instant.parse("2026-05-01T00:00:00Z"), LimitWindows.startOf(YearMonth.of(2026, 5)));
  }

  @Test
  void counterNamesHoldTheClientAndTheWindow() {
    assertEquals("limit:key:0123456789abcdef:rpm:42", LimitWindows.requests("key:0123456789abcdef", 42));
    assertEquals("limit:user:alice:tpm:42", LimitWindows.tokens("user:alice", 42));
    assertEquals("limit:user:alice:tokens:2026-05", LimitWindows.monthTokens("user:alice", YearMonth.of(2026, 5)));
    assertEquals("limit:user:alice:cost:2026-05", LimitWindows.monthCost("user:alice", YearMonth.of(2026, 5)));
    assertEquals("limit:user:alice:seeded:2026-05", LimitWindows.monthSeeded("user:alice", YearMonth.of(2026, 5)));
  }
}
