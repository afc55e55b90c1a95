package dev.llmproxy.routing;

import java.time.Duration;
import java.util.List;

/**
 * One request's side of {@code routing.session-affinity}: the attempt its session is bound to, tried before the
 * routing order (a binding outranks priority and rotation while its key and model are available), and the binding
 * its answer makes. Not thread-safe: one request.
 */
final class SessionAffinity {
  static final SessionAffinity NONE = new SessionAffinity(null, null, null, null, null);

  private final SessionBindings bindings;
  private final String route;
  private final ClientSession session;
  private final Duration ttl;
  private final Attempt preferred;

  private SessionAffinity(SessionBindings bindings, String route, ClientSession session, Duration ttl,
      Attempt preferred) {
    this.bindings = bindings;
    this.route = route;
    this.session = session;
    this.ttl = ttl;
    this.preferred = preferred;
  }

  /**
   * @param session the request's session, or {@code null} when it names none
   * @param candidates the request's attempts; a binding to anything else (a key removed since) is passed over
   */
  static SessionAffinity of(SessionBindings bindings, String route, ClientSession session, Duration ttl,
      List<Attempt> candidates) {
    if (session == null) {
      return NONE;
    }
    Attempt preferred = bindings.bound(route, session.id(), candidates);
    if (preferred == null && session.earlierId() != null) {
      preferred = bindings.bound(route, session.earlierId(), candidates);
    }
    return new SessionAffinity(bindings, route, session, ttl, preferred);
  }

  /** The attempt the session is bound to, among this request's; {@code null} for none. */
  Attempt preferred() {
    return preferred;
  }

  /**
   * {@code attempt} answered: the session is bound to it, under both its ids, for another time to live.
   *
   * @return whether that kept, moved or made the binding; {@code null} for a request that names no session
   */
  AffinityOutcome answeredBy(Attempt attempt) {
    if (session == null) {
      return null;
    }
    bindings.bind(route, session.id(), attempt, ttl);
    if (session.earlierId() != null) {
      bindings.bind(route, session.earlierId(), attempt, ttl);
    }
    if (preferred == null) {
      return AffinityOutcome.NEW;
    }
    return preferred == attempt ? AffinityOutcome.KEPT : AffinityOutcome.MOVED;
  }
}
