package dev.llmproxy.routing;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

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

  /**
   * Installs what {@code build} makes, building again if another install raced it: whatever
   * {@code build} reads (the discovered model lists) is then never older than what it replaces.
   * {@code build} may run more than once and must have no side effects.
   */
  public void install(Supplier<GatewaySnapshot> build) {
    state.updateAndGet(s -> new State(build.get(), null));
  }

  /**
   * Replaces the current snapshot with {@code change} applied to it, atomically: if another install
   * raced it, {@code change} is applied again to the newer snapshot, so neither update is lost (model
   * discovery publishing while a reload installs a new config). Nothing happens without a snapshot.
   */
  public void update(UnaryOperator<GatewaySnapshot> change) {
    state.updateAndGet(s -> s.snapshot() == null ? s : new State(change.apply(s.snapshot()), null));
  }

  /** Records a load failure; keeps a previously installed snapshot (a bad reload never unloads a good config). */
  public void failed(String problem) {
    state.updateAndGet(s -> s.snapshot() != null ? s : new State(null, problem));
  }
}
