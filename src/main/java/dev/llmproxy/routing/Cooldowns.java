package dev.llmproxy.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Cooldown windows per upstream key (all models) and per key and model, each with the reason that opened it, plus
 * the 429 backoff level: what {@link RoutePlan} consults before each attempt and records failures into, and what
 * management's upstream status shows. {@link LocalCooldowns} keeps them in this process ({@code state.store:
 * memory}); the Redis store shares them between instances through a local view.
 *
 * <p>Implementations are thread-safe and answer from memory: plans call them under an exchange's lock, often on
 * HttpClient's reactor threads, so no method may block, wait on I/O or take long.
 */
public interface Cooldowns {
  /** The longest 429 backoff without a {@code Retry-After}. */
  Duration BACKOFF_CAP = Duration.ofMinutes(30);
  /**
   * How the reason of a window a 429 opened begins. Windows reach other instances as key, end and reason only, so
   * the reason is what tells them apart there too.
   */
  String RATE_LIMIT_REASON = "rate limit";

  /** {@code reason} as the reason of a window a 429 opened ({@link #RATE_LIMIT_REASON} first). */
  static String rateLimitReason(String reason) {
    return reason.startsWith(RATE_LIMIT_REASON) ? reason : RATE_LIMIT_REASON + ": " + reason;
  }

  /**
   * A window that is open now.
   *
   * @param credentialId the key's {@link Credential#id()}
   * @param model the upstream model it is for, or {@code null} when the whole key cools
   */
  record Active(String credentialId, String model, Instant until, String reason) {
    /** The window's identity: the credential id, or {@code id|model} for one model (see {@link #key}). */
    public String key() {
      return Cooldowns.key(credentialId, model);
    }

    /** The window whose {@link #key()} is {@code key}. */
    public static Active of(String key, Instant until, String reason) {
      int bar = key.indexOf('|');
      return bar < 0 ? new Active(key, null, until, reason)
          : new Active(key.substring(0, bar), key.substring(bar + 1), until, reason);
    }
  }

  /** The clock every window is measured against. */
  Instant now();

  /** When {@code credential} (for {@code model}) may be used again; {@code null} if it may now. */
  Instant coolingUntil(Credential credential, String model);

  /** Every window open now; a snapshot for display. */
  List<Active> activeWindows();

  /** Rests the whole key (all its models) for {@code duration}, or longer if it already rests longer. */
  void coolKey(Credential credential, Duration duration, String reason);

  /** Rests one model on the key for {@code duration}, or longer if it already rests longer. */
  void coolModel(Credential credential, String model, Duration duration, String reason);

  /**
   * Records a 429 on the model: raises its backoff level and rests it for {@code retryAfter} when given, else 1s, 2s,
   * 4s... by level up to {@link #BACKOFF_CAP}. Returns the rest it opened.
   */
  Duration rateLimited(Credential credential, String model, Duration retryAfter, String reason);

  /** A success clears the model's window and backoff level (a key-wide window is left to expire). */
  void succeeded(Credential credential, String model);

  /**
   * True when what rests {@code credential} for {@code model} now (the later-ending of the key's and the model's
   * windows) was opened by a 429: what makes "every candidate cools" the client's rate limit rather than an
   * unavailable upstream. A 429 long past, followed by other failures, does not count.
   */
  default boolean coolsForRateLimit(Credential credential, String model) {
    return false;
  }

  /** The backoff for a backoff level (1 = first 429): 1s doubling per level, capped at {@link #BACKOFF_CAP}. */
  static Duration backoff(int level) {
    if (level > 21) {
      return BACKOFF_CAP;
    }
    Duration d = Duration.ofSeconds(1L << (Math.max(1, level) - 1));
    return d.compareTo(BACKOFF_CAP) > 0 ? BACKOFF_CAP : d;
  }

  /** A window's identity: {@code credentialId} for the whole key, {@code credentialId|model} for one model. */
  static String key(String credentialId, String model) {
    return model == null ? credentialId : credentialId + "|" + model;
  }
}
