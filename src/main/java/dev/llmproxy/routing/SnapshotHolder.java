package dev.llmproxy.routing;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The current {@link GatewaySnapshot}, swapped atomically on reload; or, when no valid config was
 * ever loaded, the reason why (served as 503). Thread-safe.
 */
public final class SnapshotHolder {
  private final AtomicReference<State> state = new AtomicReference<>(new State(null, "the gateway is starting"));

  private record State(GatewaySnapshot snapshot, String problem) {}

  public GatewaySnapshot current() {
    return state.get().snapshot();
  }

  /** Why there is no snapshot; {@code null} when there is one. */
  public String problem() {
    return state.get().problem();
  }

  public void install(GatewaySnapshot snapshot) {
    state.set(new State(snapshot, null));
  }

  /** Records a load failure; keeps a previously installed snapshot (a bad reload never unloads a good config). */
  public void failed(String problem) {
    state.updateAndGet(s -> s.snapshot() != null ? s : new State(null, problem));
  }
}
