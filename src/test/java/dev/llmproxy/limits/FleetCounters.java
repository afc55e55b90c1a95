package dev.llmproxy.limits;

import dev.llmproxy.state.SharedCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SharedCounters} as one instance of a fleet sees them, for tests: {@link #fleet} is what Redis holds (other
 * instances add there with {@link #othersAdd}), {@link #estimate} this instance's view, which takes Redis's total
 * when an answer arrives. With {@link #hold} the answers wait for {@link #deliver()}; with {@link #down} they fail.
 */
final class FleetCounters implements SharedCounters {
  final Map<String, Long> fleet = new ConcurrentHashMap<>();
  final Map<String, Long> floors = new ConcurrentHashMap<>();
  private final Map<String, Long> view = new ConcurrentHashMap<>();
  private final List<Runnable> pending = new ArrayList<>();
  boolean hold;
  boolean down;

  void othersAdd(String name, long delta) {
    fleet.merge(name, delta, Long::sum);
  }

  synchronized int deliver() {
    List<Runnable> answers = new ArrayList<>(pending);
    pending.clear();
    answers.forEach(Runnable::run);
    return answers.size();
  }

  @Override
  public synchronized Added add(String name, long delta, Duration ttl) {
    long estimate = view.merge(name, delta, Long::sum);
    CompletableFuture<Long> total = new CompletableFuture<>();
    if (down) {
      total.completeExceptionally(new IllegalStateException("not connected to Redis"));
      return new Added(estimate, total);
    }
    long fleetTotal = fleet.merge(name, delta, Long::sum);
    Runnable answer = () -> {
      view.put(name, fleetTotal);
      total.complete(fleetTotal);
    };
    if (hold) {
      pending.add(answer);
    } else {
      answer.run();
    }
    return new Added(estimate, total);
  }

  /** Raises {@link #fleet}'s floor of {@code name} (kept in {@link #floors}) as Redis would; answers at once. */
  @Override
  public synchronized Added raise(String name, long floor, Duration ttl) {
    long lacking = Math.max(0, floor - floors.getOrDefault(name, 0L));
    floors.merge(name, floor, Math::max);
    long fleetTotal = fleet.merge(name, lacking, Long::sum);
    view.put(name, fleetTotal);
    return new Added(fleetTotal, CompletableFuture.completedFuture(fleetTotal));
  }

  @Override
  public long estimate(String name) {
    return view.getOrDefault(name, 0L);
  }

  @Override
  public CompletableFuture<Long> read(String name) {
    return CompletableFuture.completedFuture(fleet.getOrDefault(name, 0L));
  }

  @Override
  public void reset(String name) {
    fleet.remove(name);
    view.remove(name);
  }
}
