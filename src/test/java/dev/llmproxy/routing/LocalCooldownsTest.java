package dev.llmproxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory store, and what a shared store feeds into it: windows and levels counted elsewhere. */
class LocalCooldownsTest {
  private final MutableClock clock = new MutableClock();
  private final LocalCooldowns cooldowns = new LocalCooldowns(clock);
  private final Credential key = new Credential("p:0a1b2c", null, 0, null, null);

  @Test
  void aMergedWindowRestsLikeALocalOneAndTheLaterEndWins() {
    Instant soon = clock.instant().plusSeconds(10);
    Instant later = clock.instant().plusSeconds(60);

    cooldowns.merge(Cooldowns.key(key.id(), "m"), later, "rate limit (HTTP 429)");
    cooldowns.merge(Cooldowns.key(key.id(), "m"), soon, "transient (HTTP 503)");

    assertEquals(later, cooldowns.coolingUntil(key, "m"));
    assertNull(cooldowns.coolingUntil(key, "other"));
    assertEquals(List.of(new Cooldowns.Active(key.id(), "m", later, "rate limit (HTTP 429)")),
        cooldowns.activeWindows());
    assertEquals("p:0a1b2c|m", cooldowns.activeWindows().get(0).key());
  }

  @Test
  void aLevelCountedElsewhereIsOnlyRaisedAndTheNext429BacksOffFromIt() {
    String model = Cooldowns.key(key.id(), "m");
    cooldowns.raiseLevel(model, 3);
    cooldowns.raiseLevel(model, 1);
    assertEquals(3, cooldowns.level(model));

    assertEquals(Duration.ofSeconds(8), cooldowns.rateLimited(key, "m", null, "rate limit (HTTP 429)"));
  }

  @Test
  void clearingTellsWhetherThereWasAnythingToClear() {
    assertFalse(cooldowns.clearOnSuccess(key, "m"), "nothing cools: nothing to share");
    cooldowns.rateLimited(key, "m", Duration.ofSeconds(5), "rate limit (HTTP 429)");

    assertTrue(cooldowns.clearOnSuccess(key, "m"));
    assertNull(cooldowns.coolingUntil(key, "m"));
    assertEquals(0, cooldowns.level(Cooldowns.key(key.id(), "m")));
    assertFalse(cooldowns.clear(Cooldowns.key(key.id(), "m")));
  }

  @Test
  void expiredWindowsAreDroppedWhenListed() {
    cooldowns.coolKey(key, Duration.ofSeconds(1), "key fault (HTTP 401)");
    clock.advance(Duration.ofSeconds(2));

    assertEquals(List.of(), cooldowns.activeWindows());
    assertFalse(cooldowns.clear(key.id()), "the expired window is gone");
  }
}
