package dev.llmproxy.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which key and upstream model last answered each client session, per configured model: what {@code
 * routing.session-affinity} sends the session's next request to. Each instance reads its own map, so no request
 * waits on another; with shared state, what binds here is {@link Announcer announced} to the other instances and
 * what they announce is {@link #adopt adopted}. Bounded: a binding unused for its time to live is forgotten, and
 * beyond {@link #MAX_BINDINGS} the least recently used goes first, so clients that invent session ids cost a bounded
 * amount of heap (a session id is kept as a 128-bit digest, the key and model as the strings the config already
 * holds). Thread-safe.
 */
public final class SessionBindings {
  /** About 200 bytes each (more for adopted ones, whose strings are their own): 20–40 MiB at most. */
  static final int MAX_BINDINGS = 100_000;

  /** Tells the other instances of a binding made here. Must not block. */
  @FunctionalInterface
  public interface Announcer {
    Announcer NONE = (key, credential, model, ttl) -> { };

    /** {@code key} (route and session digest) is bound to {@code credential}'s {@code model} for {@code ttl}. */
    void announce(String key, String credential, String model, Duration ttl);
  }

  private final Clock clock;
  private final int capacity;
  private final Map<String, Binding> bindings;
  private volatile Announcer announcer = Announcer.NONE;

  /** @param announced when this binding was last told to the other instances (or heard from them) */
  private record Binding(String credential, String model, Instant expires, Instant announced) {
    boolean names(Attempt a) {
      return credential.equals(a.credential().id()) && model.equals(a.upstreamModel());
    }

    boolean sameTarget(Binding other) {
      return credential.equals(other.credential) && model.equals(other.model);
    }
  }

  SessionBindings(Clock clock) {
    this(clock, MAX_BINDINGS);
  }

  SessionBindings(Clock clock, int capacity) {
    this.clock = clock;
    this.capacity = capacity;
    this.bindings = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Binding> eldest) {
        return size() > SessionBindings.this.capacity;
      }
    };
  }

  /** Announces each binding made from now on through {@code announcer}. */
  public void shareWith(Announcer announcer) {
    this.announcer = announcer;
  }

  /** Which of {@code candidates} {@code session} of {@code route} is bound to, or {@code null}. */
  Attempt bound(String route, String session, List<Attempt> candidates) {
    Binding binding = binding(key(route, session));
    if (binding == null) {
      return null;
    }
    for (Attempt a : candidates) {
      if (binding.names(a)) {
        return a;
      }
    }
    return null; // a key or member removed since
  }

  private synchronized Binding binding(String key) {
    Binding binding = bindings.get(key);
    if (binding != null && !binding.expires().isAfter(clock.instant())) {
      bindings.remove(key);
      return null;
    }
    return binding;
  }

  /**
   * Binds {@code session} of {@code route} to {@code attempt} for {@code ttl} from now. Announced when it is new or
   * moved, or when half its time to live has passed since it was last announced: a session served again and again
   * by this instance stays bound on the others without a message per request.
   */
  void bind(String route, String session, Attempt attempt, Duration ttl) {
    Instant now = clock.instant();
    String key = key(route, session);
    Binding binding = new Binding(attempt.credential().id(), attempt.upstreamModel(), now.plus(ttl), now);
    boolean announce;
    synchronized (this) {
      Binding previous = bindings.get(key);
      announce = previous == null || !previous.sameTarget(binding)
          || !previous.announced().plus(ttl.dividedBy(2)).isAfter(now);
      bindings.put(key, announce ? binding : new Binding(binding.credential(), binding.model(), binding.expires(),
          previous.announced()));
    }
    if (announce) {
      announcer.announce(key, binding.credential(), binding.model(), ttl);
    }
  }

  /** A binding another instance announced: {@code key} as {@link Announcer#announce} gave it, for {@code ttl}. */
  public void adopt(String key, String credential, String model, Duration ttl) {
    Instant now = clock.instant();
    synchronized (this) {
      bindings.put(key, new Binding(credential, model, now.plus(ttl), now));
    }
  }

  /** How many bindings are held (lapsed ones included until met). */
  public synchronized int size() {
    return bindings.size();
  }

  /** Outside the lock: the digest is the costly part. */
  private static String key(String route, String session) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(session.getBytes(StandardCharsets.UTF_8));
      return route + '\n' + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
