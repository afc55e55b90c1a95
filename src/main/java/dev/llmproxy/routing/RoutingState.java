package dev.llmproxy.routing;

import dev.llmproxy.config.RoutingConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mutable routing state shared by all requests and kept across config reloads: rotation counters,
 * smooth weighted round-robin weights and {@link Cooldowns}. Everything is keyed by stable ids (route
 * id, provider name, credential id), so state of unchanged keys survives a reload. Rotation stays in this
 * process even when cooldowns are shared between instances. Thread-safe.
 */
public final class RoutingState {
  private final Cooldowns cooldowns;
  private final PoolSaturation saturation;
  private final OpenRequests openRequests;
  private final SessionBindings sessions;
  private final ConcurrentMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, SmoothWeights> weights = new ConcurrentHashMap<>();

  /** With cooldowns in this process's memory. */
  public RoutingState(Clock clock) {
    this(new LocalCooldowns(clock), clock);
  }

  /** With the given cooldowns store (in memory, or shared between instances), alone in counting open requests. */
  public RoutingState(Cooldowns cooldowns, Clock clock) {
    this(cooldowns, OpenElsewhere.NONE, clock);
  }

  /**
   * With the given cooldowns store and what other instances hold open for capped clients (both in memory, or shared
   * between instances).
   */
  public RoutingState(Cooldowns cooldowns, OpenElsewhere openElsewhere, Clock clock) {
    this.cooldowns = cooldowns;
    this.saturation = new PoolSaturation(clock);
    this.openRequests = new OpenRequests(clock, openElsewhere);
    this.sessions = new SessionBindings(clock);
  }

  public Cooldowns cooldowns() {
    return cooldowns;
  }

  /** When the gateway's own connection pools were full (never a cooldown). */
  public PoolSaturation saturation() {
    return saturation;
  }

  /** Which key and model last answered each client session ({@code routing.session-affinity}). */
  public SessionBindings sessions() {
    return sessions;
  }

  /** The data-plane requests open now, against {@code max-open-requests}. */
  public OpenRequests openRequests() {
    return openRequests;
  }

  /** Returns the counter's value and advances it: the rotation offset for this request. */
  long nextTick(String key) {
    return counters.computeIfAbsent(key, k -> new AtomicLong()).getAndIncrement();
  }

  /** Credentials in the order this request should try them, per {@code strategy}. */
  List<Credential> order(RoutingConfig.Strategy strategy, String group, List<Credential> credentials) {
    int n = credentials.size();
    if (n <= 1 || strategy == RoutingConfig.Strategy.FILL_FIRST) {
      return credentials;
    }
    if (strategy == RoutingConfig.Strategy.WEIGHTED_ROUND_ROBIN) {
      return weightedOrder(group, credentials);
    }
    return rotate(credentials, (int) Math.floorMod(nextTick("keys|" + group), (long) n));
  }

  private List<Credential> weightedOrder(String group, List<Credential> credentials) {
    List<Credential> positive = new ArrayList<>();
    for (Credential c : credentials) {
      if (c.entry().weight() > 0) {
        positive.add(c);
      }
    }
    if (positive.size() <= 1) {
      return positive;
    }
    int[] w = positive.stream().mapToInt(c -> c.entry().weight()).toArray();
    SmoothWeights sw = weights.compute(group, (k, old) -> old != null && old.matches(w) ? old : new SmoothWeights(w));
    int first = sw.pick();
    List<Credential> out = new ArrayList<>(positive.size());
    out.add(positive.get(first));
    for (int i = 1; i < positive.size(); i++) {
      out.add(positive.get((first + i) % positive.size()));
    }
    return out;
  }

  static <T> List<T> rotate(List<T> list, int offset) {
    if (offset == 0) {
      return list;
    }
    List<T> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(list.get((offset + i) % list.size()));
    }
    return out;
  }

  /** nginx-style smooth weighted round-robin: weights 2,1 give A,B,A. Guarded by its own monitor. */
  private static final class SmoothWeights {
    private final int[] weights;
    private final int[] current;
    private final int total;

    SmoothWeights(int[] weights) {
      this.weights = weights.clone();
      this.current = new int[weights.length];
      int sum = 0;
      for (int x : weights) {
        sum += x;
      }
      this.total = sum;
    }

    boolean matches(int[] other) {
      return java.util.Arrays.equals(weights, other);
    }

    synchronized int pick() {
      int best = 0;
      for (int i = 0; i < weights.length; i++) {
        current[i] += weights[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      return best;
    }
  }
}
