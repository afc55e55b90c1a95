package dev.llmproxy.routing;

/**
 * How many requests the other instances of the fleet hold open for each client with a {@code max-parallel-requests}
 * cap, as far as this instance knows now: what makes the cap the fleet's rather than each instance's. Never waits
 * (answers from memory); {@link #NONE} when the state is this instance's alone. Thread-safe.
 */
@FunctionalInterface
public interface OpenElsewhere {
  /** Without shared state: no other instance counts. */
  OpenElsewhere NONE = clientId -> 0;

  /** Requests of the client counted as {@code clientId} open on other instances (0 when none or unknown). */
  int open(String clientId);
}
