package dev.llmproxy.it;

import java.time.Duration;
import java.time.Instant;

/**
 * Client rate limits count per calendar minute (UTC): a test that needs several requests inside one minute starts
 * where they fit, so a minute turning over mid-test cannot reset its counts. Stateless.
 */
final class MinuteWindows {
  private MinuteWindows() {}

  /** Returns at once when {@code needed} fits in what is left of this minute, else at the start of the next. */
  static void awaitRoomFor(Duration needed) {
    Instant now = Instant.now();
    long millisIntoMinute = now.toEpochMilli() % 60_000;
    if (millisIntoMinute + needed.toMillis() < 58_000) {
      return;
    }
    try {
      Thread.sleep(60_000 - millisIntoMinute + 100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
