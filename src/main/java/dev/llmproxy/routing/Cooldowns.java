package dev.llmproxy.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Cooldown windows per credential (all models) and per credential+model, plus the 429 backoff level.
 * Thread-safe (concurrent maps, compute for read-modify-write). Lives across config reloads because
 * it is keyed by stable credential ids.
 */
public final class Cooldowns {
  static final Duration BACKOFF_CAP = Duration.ofMinutes(30);

  private final Clock clock;
  private final ConcurrentMap<String, Instant> until = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Integer> backoffLevel = new ConcurrentHashMap<>();

  public Cooldowns(Clock clock) {
    this.clock = clock;
  }

  public Instant now() {
    return clock.instant();
  }

  /** When {@code credential} (for {@code model}) may be used again; {@code null} if it may now. */
  public Instant coolingUntil(Credential credential, String model) {
    if (until.isEmpty()) {
      // Nothing cools (the usual case): skip the clock and building the model key on every attempt.
      return null;
    }
    Instant now = clock.instant();
    Instant keyUntil = active(credential.id(), now);
    Instant modelUntil = active(modelKey(credential, model), now);
    if (keyUntil == null) {
      return modelUntil;
    }
    return modelUntil == null || keyUntil.isAfter(modelUntil) ? keyUntil : modelUntil;
  }

  private Instant active(String key, Instant now) {
    Instant t = until.get(key);
    return t != null && t.isAfter(now) ? t : null;
  }

  public void coolKey(Credential credential, Duration duration) {
    extend(credential.id(), duration);
  }

  public void coolModel(Credential credential, String model, Duration duration) {
    extend(modelKey(credential, model), duration);
  }

  /** Records a 429: honours Retry-After when given, else backs off 1s, 2s, 4s... up to 30 minutes. */
  public Duration rateLimited(Credential credential, String model, Duration retryAfter) {
    String key = modelKey(credential, model);
    int level = backoffLevel.merge(key, 1, Integer::sum);
    Duration wait = retryAfter != null ? retryAfter : backoff(level);
    extend(key, wait);
    return wait;
  }

  static Duration backoff(int level) {
    if (level > 21) {
      return BACKOFF_CAP;
    }
    Duration d = Duration.ofSeconds(1L << (level - 1));
    return d.compareTo(BACKOFF_CAP) > 0 ? BACKOFF_CAP : d;
  }

  /** A success clears the model's window and backoff level (a key-wide window is left to expire). */
  public void succeeded(Credential credential, String model) {
    if (until.isEmpty() && backoffLevel.isEmpty()) {
      return;
    }
    String key = modelKey(credential, model);
    until.remove(key);
    backoffLevel.remove(key);
  }

  private void extend(String key, Duration duration) {
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    Instant end = clock.instant().plus(duration);
    until.merge(key, end, (a, b) -> a.isAfter(b) ? a : b);
  }

  private static String modelKey(Credential credential, String model) {
    return credential.id() + "|" + model;
  }
}
