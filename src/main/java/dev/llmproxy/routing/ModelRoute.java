package dev.llmproxy.routing;

import java.util.List;

/**
 * Everything a client model id can be served by: one member for a plain alias, several for a pool.
 * Immutable.
 *
 * @param id the id clients send and see in {@code /v1/models}
 * @param ownedBy the name of the first provider that serves it
 * @param members upstream models in config order
 */
public record ModelRoute(String id, String ownedBy, List<PoolMember> members) {
  public ModelRoute {
    members = List.copyOf(members);
  }
}
