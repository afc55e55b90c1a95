package dev.llmproxy.routing;

import java.util.List;

/**
 * The conversation a request belongs to, for {@code routing.session-affinity}. Immutable.
 *
 * @param id what names it: a client's session id, or one derived from its first messages
 * @param earlierId the id its earlier requests may be bound under, or {@code null}: a conversation named by its first
 *     messages gains its first answer on its second turn, and is found by the first turn's shorter id then
 */
public record ClientSession(String id, String earlierId) {
  /** The headers clients name their session by, strongest first; captured with each request while affinity is on. */
  public static final List<String> HEADERS = List.of("X-Claude-Code-Session-Id", "Session-Id", "Session_id",
      "X-Session-Id", "X-Session-Affinity");

  public ClientSession {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("a session needs an id");
    }
    earlierId = id.equals(earlierId) ? null : earlierId;
  }
}
