package dev.llmproxy.routing;

import java.util.Locale;

/** What {@code routing.session-affinity} came to for one answered request of a session. */
public enum AffinityOutcome {
  /** The session's binding held: the key and member it was bound to answered. */
  KEPT,
  /** The session was bound, but another attempt answered (the bound one cooled or failed): the binding moved. */
  MOVED,
  /** The session had no binding here (its first request, or one whose binding lapsed or named a removed key). */
  NEW;

  /** As a metric label: {@code kept}, {@code moved}, {@code new}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
