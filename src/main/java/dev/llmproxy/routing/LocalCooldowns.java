package dev.llmproxy.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link Cooldowns} in this process's memory: the {@code state.store: memory} store, and the local view a shared
 * store keeps (which also feeds it the windows other instances open, through {@link #merge} and {@link #clear}).
 * Thread-safe (concurrent maps, merge for read-modify-write). Lives across config reloads because it is keyed by
 * stable credential ids.
 */
public final class LocalCooldowns implements Cooldowns {
  /** A cooling window: until when, and why (for operators: management's upstream status). */
  private record Window(Instant until, String reason) {
    boolean rateLimit() {
      return reason.startsWith(RATE_LIMIT_REASON);
    }
  }

  private final Clock clock;
  private final ConcurrentMap<String, Window> until = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Integer> backoffLevel = new ConcurrentHashMap<>();

  public LocalCooldowns(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public Instant coolingUntil(Credential credential, String model) {
    if (until.isEmpty()) {
      // Nothing cools (the usual case): skip the clock and building the model key on every attempt.
      return null;
    }
    Window binding = binding(credential, model);
    return binding == null ? null : binding.until();
  }

  /** The window that rests {@code credential} for {@code model} now: the later-ending of the key's and the model's. */
  private Window binding(Credential credential, String model) {
    Instant now = clock.instant();
    Window key = active(credential.id(), now);
    Window modelWindow = active(Cooldowns.key(credential.id(), model), now);
    if (key == null) {
      return modelWindow;
    }
    return modelWindow == null || key.until().isAfter(modelWindow.until()) ? key : modelWindow;
  }

  private Window active(String key, Instant now) {
    Window w = until.get(key);
    return w != null && w.until().isAfter(now) ? w : null;
  }

  @Override
  public List<Active> activeWindows() {
    Instant now = clock.instant();
    List<Active> out = new ArrayList<>();
    until.forEach((key, w) -> {
      if (w.until().isAfter(now)) {
        out.add(Active.of(key, w.until(), w.reason()));
      } else {
        // Expired: drop it, unless another thread has just put a newer window under the key.
        until.remove(key, w);
      }
    });
    return out;
  }

  @Override
  public void coolKey(Credential credential, Duration duration, String reason) {
    extend(credential.id(), duration, reason);
  }

  @Override
  public void coolModel(Credential credential, String model, Duration duration, String reason) {
    extend(Cooldowns.key(credential.id(), model), duration, reason);
  }

  @Override
  public Duration rateLimited(Credential credential, String model, Duration retryAfter, String reason) {
    String key = Cooldowns.key(credential.id(), model);
    int level = backoffLevel.merge(key, 1, Integer::sum);
    Duration wait = retryAfter != null ? retryAfter : Cooldowns.backoff(level);
    extend(key, wait, Cooldowns.rateLimitReason(reason));
    return wait;
  }

  @Override
  public void succeeded(Credential credential, String model) {
    clearOnSuccess(credential, model);
  }

  @Override
  public boolean coolsForRateLimit(Credential credential, String model) {
    if (until.isEmpty()) {
      return false;
    }
    Window binding = binding(credential, model);
    return binding != null && binding.rateLimit();
  }

  /** {@link #succeeded}, telling whether the model had a window or a backoff level to clear. */
  public boolean clearOnSuccess(Credential credential, String model) {
    if (until.isEmpty() && backoffLevel.isEmpty()) {
      // The usual case: nothing to clear, and no key to build.
      return false;
    }
    return clear(Cooldowns.key(credential.id(), model));
  }

  /** Opens or lengthens the window {@code key} (see {@link Active#key()}) to end at {@code end}. */
  public void merge(String key, Instant end, String reason) {
    until.merge(key, new Window(end, reason), (a, b) -> a.until().isAfter(b.until()) ? a : b);
  }

  /** Removes the window {@code key} and its backoff level; returns whether there was either. */
  public boolean clear(String key) {
    boolean hadWindow = until.remove(key) != null;
    return backoffLevel.remove(key) != null || hadWindow;
  }

  /** The backoff level of the model window {@code key}: how many 429s since its last success; 0 for none. */
  public int level(String key) {
    return backoffLevel.getOrDefault(key, 0);
  }

  /** Raises the backoff level of {@code key} to {@code level} (a level counted elsewhere); never lowers it. */
  public void raiseLevel(String key, int level) {
    backoffLevel.merge(key, level, Math::max);
  }

  /** Opens or lengthens a window; the reason of the later-ending window is the one kept. */
  private void extend(String key, Duration duration, String reason) {
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    merge(key, clock.instant().plus(duration), reason);
  }
}
