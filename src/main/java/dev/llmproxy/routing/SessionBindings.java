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
 * routing.session-affinity} sends the session's next request to. In this instance's memory, like the rotation
 * counters. Bounded: a binding unused for its time to live is forgotten, and beyond {@link #MAX_BINDINGS} the least
 * recently used goes first, so clients that invent session ids cost a bounded amount of heap (a session id is kept
 * as a 128-bit digest, the key and model as the strings the config already holds). Thread-safe.
 */
public final class SessionBindings {
  /** About 200 bytes each: 20 MiB at most. */
  static final int MAX_BINDINGS = 100_000;

  private final Clock clock;
  private final int capacity;
  private final Map<String, Binding> bindings;

  private record Binding(String credential, String model, Instant expires) {
    boolean names(Attempt a) {
      return credential.equals(a.credential().id()) && model.equals(a.upstreamModel());
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

  /** Which of {@code candidates} {@code session} of {@code route} is bound to, or {@code null}. */
  synchronized Attempt bound(String route, String session, List<Attempt> candidates) {
    String key = key(route, session);
    Binding binding = bindings.get(key);
    if (binding == null) {
      return null;
    }
    if (!binding.expires().isAfter(clock.instant())) {
      bindings.remove(key);
      return null;
    }
    for (Attempt a : candidates) {
      if (binding.names(a)) {
        return a;
      }
    }
    return null; // a key or member removed since
  }

  /** Binds {@code session} of {@code route} to {@code attempt} for {@code ttl} from now. */
  synchronized void bind(String route, String session, Attempt attempt, Duration ttl) {
    bindings.put(key(route, session), new Binding(attempt.credential().id(), attempt.upstreamModel(),
        clock.instant().plus(ttl)));
  }

  synchronized int size() {
    return bindings.size();
  }

  private static String key(String route, String session) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(session.getBytes(StandardCharsets.UTF_8));
      return route + '\n' + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
