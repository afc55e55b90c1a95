package dev.llmproxy.limits;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The windows limits count in and the names of their counters. Rates count per calendar minute and monthly limits
 * per calendar month, both UTC, so every instance agrees on the window without talking; a counter's name holds its
 * window ({@code limit:key:0a1b2c3d4e5f6a7b:rpm:29512345}), and an old window's counter simply expires. Stateless.
 */
final class LimitWindows {
  /** A minute counter lives a little beyond its minute, for requests ending just after it. */
  static final Duration RATE_TTL = Duration.ofMinutes(2);
  /** A month counter (and the month's seed marker) outlives its month whatever day it was last added to. */
  static final Duration MONTH_TTL = Duration.ofDays(32);

  private LimitWindows() {}

  static long minute(Instant now) {
    return Math.floorDiv(now.getEpochSecond(), 60);
  }

  /** What {@code Retry-After} says for a rate limit: until the next minute starts. */
  static Duration untilNextMinute(Instant now) {
    Instant next = Instant.ofEpochSecond((minute(now) + 1) * 60);
    return Duration.between(now, next);
  }

  static YearMonth month(Instant now) {
    return YearMonth.from(now.atOffset(ZoneOffset.UTC));
  }

  static Instant startOf(YearMonth month) {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  static String requests(String id, long minute) {
    return "limit:" + id + ":rpm:" + minute;
  }

  static String tokens(String id, long minute) {
    return "limit:" + id + ":tpm:" + minute;
  }

  static String monthTokens(String id, YearMonth month) {
    return "limit:" + id + ":tokens:" + month;
  }

  /** In nano-dollars (see {@link dev.llmproxy.config.ModelPrice#nanoDollars}). */
  static String monthCost(String id, YearMonth month) {
    return "limit:" + id + ":cost:" + month;
  }

  /** Added to once by each instance that starts counting the month: the first (total 1) seeds it. */
  static String monthSeeded(String id, YearMonth month) {
    return "limit:" + id + ":seeded:" + month;
  }
}
