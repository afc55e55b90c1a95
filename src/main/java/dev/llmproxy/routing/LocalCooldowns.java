package dev.llmproxy.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Cooldown windows per credential (all models) and per credential+model, each with the reason that
 * opened it (shown by management's upstream status), plus the 429 backoff level. Thread-safe
 * (concurrent maps, merge for read-modify-write). Lives across config reloads because it is keyed by
 * stable credential ids.
 */
public final class Cooldowns {
  static final Duration BACKOFF_CAP = Duration.ofMinutes(30);

  /** A cooling window: until when, and why (for operators: management's upstream status). */
  private record Window(Instant until, String reason) {}

  /**
   * A window that is open now.
   *
   * @param credentialId the key's {@link Credential#id()}
   * @param model the upstream model it is for, or {@code null} when the whole key cools
   */
  public record Active(String credentialId, String model, Instant until, String reason) {}

  private final Clock clock;
  private final ConcurrentMap<String, Window> until = new ConcurrentHashMap<>();
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
    Window w = until.get(key);
    return w != null && w.until().isAfter(now) ? w.until() : null;
  }

  /** Every window open now; a snapshot for display. */
  public List<Active> activeWindows() {
    Instant now = clock.instant();
    List<Active> out = new ArrayList<>();
    until.forEach((key, w) -> {
      if (w.until().isAfter(now)) {
        int bar = key.indexOf('|');
        out.add(bar < 0 ? new Active(key, null, w.until(), w.reason())
            : new Active(key.substring(0, bar), key.substring(bar + 1), w.until(), w.reason()));
      }
    });
    return out;
  }

  public void coolKey(Credential credential, Duration duration, String reason) {
    extend(credential.id(), duration, reason);
  }

  public void coolModel(Credential credential, String model, Duration duration, String reason) {
    extend(modelKey(credential, model), duration, reason);
  }

  /** Records a 429: honours Retry-After when given, else backs off 1s, 2s, 4s... up to 30 minutes. */
  public Duration rateLimited(Credential credential, String model, Duration retryAfter, String reason) {
    String key = modelKey(credential, model);
    int level = backoffLevel.merge(key, 1, Integer::sum);
    Duration wait = retryAfter != null ? retryAfter : backoff(level);
    extend(key, wait, reason);
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

  /** Opens or lengthens a window; the reason of the later-ending window is the one kept. */
  private void extend(String key, Duration duration, String reason) {
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    Window next = new Window(clock.instant().plus(duration), reason);
    until.merge(key, next, (a, b) -> a.until().isAfter(b.until()) ? a : b);
  }

  private static String modelKey(Credential credential, String model) {
    return credential.id() + "|" + model;
  }
}
