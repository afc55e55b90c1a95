package dev.llmproxy.routing;

import dev.llmproxy.config.ProviderConfig;
import dev.llmproxy.config.RoutingConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The attempts of one request, in the order to try them: the route's keys in the routing strategy's order, each
 * followed by the pool members its provider serves the route with. Providers of higher {@code priority} come first;
 * the keys of all providers of one priority are ordered together, so providers take turns in proportion to their
 * keys and weights hold across providers. A key's members are rotated by that key's own counter when the request
 * first reaches the key (CLIProxyAPI keeps a pool counter per credential): advancing every key's and every member's
 * counter on every request moved them in step, so with two keys and two members each key was paired with one member
 * for good, and a cooling pair hid the other. Not thread-safe: one request.
 */
final class AttemptOrder {
  private final List<Attempt> attempts;
  private final List<Attempt> view;
  /** Per key, its members' first index in {@link #attempts}, their count and their counter; empty when none rotate. */
  private final List<Slot> slots;
  private final RoutingState state;
  private int nextSlot;

  /** One key's members in {@link #attempts}: {@code counter} rotates them, {@code null} keeps their config order. */
  private record Slot(int start, int size, String counter) {}

  private AttemptOrder(List<Attempt> attempts, List<Slot> slots, RoutingState state) {
    this.attempts = attempts;
    this.view = Collections.unmodifiableList(attempts);
    this.slots = slots;
    this.state = state;
  }

  static AttemptOrder of(ModelRoute route, RoutingTable table, RoutingConfig routing, RoutingState state) {
    List<PoolMember> members = route.members();
    if (members.size() == 1) {
      // The common case (an alias with one upstream model): one counter for the provider's keys, nothing to group.
      PoolMember only = members.get(0);
      List<Attempt> attempts = new ArrayList<>();
      for (Credential key : state.order(routing.strategy(), only.provider().name() + "|" + route.id(),
          table.credentials(only.provider()))) {
        attempts.add(new Attempt(key, only));
      }
      return new AttemptOrder(attempts, List.of(), state);
    }
    Map<ProviderConfig, List<PoolMember>> byProvider = new LinkedHashMap<>();
    for (PoolMember m : members) {
      byProvider.computeIfAbsent(m.provider(), p -> new ArrayList<>()).add(m);
    }
    Map<Integer, List<Credential>> keysByPriority = new TreeMap<>(Collections.reverseOrder());
    for (ProviderConfig provider : byProvider.keySet()) {
      keysByPriority.computeIfAbsent(provider.priority(), p -> new ArrayList<>()).addAll(table.credentials(provider));
    }
    boolean rotateMembers = routing.poolStrategy() == RoutingConfig.PoolStrategy.ROUND_ROBIN;
    List<Attempt> attempts = new ArrayList<>();
    List<Slot> slots = new ArrayList<>();
    keysByPriority.forEach((priority, keys) -> {
      for (Credential key : state.order(routing.strategy(), route.id() + "|priority " + priority, keys)) {
        List<PoolMember> served = byProvider.get(key.provider());
        if (rotateMembers && served.size() > 1) {
          slots.add(new Slot(attempts.size(), served.size(), "pool|" + route.id() + "|" + key.id()));
        }
        for (PoolMember m : served) {
          attempts.add(new Attempt(key, m));
        }
      }
    });
    return new AttemptOrder(attempts, slots, state);
  }

  int size() {
    return attempts.size();
  }

  /** The attempt at {@code index}; reaching a key's first member rotates its members, once per request. */
  Attempt get(int index) {
    while (nextSlot < slots.size() && slots.get(nextSlot).start() <= index) {
      Slot slot = slots.get(nextSlot++);
      List<Attempt> keyMembers = attempts.subList(slot.start(), slot.start() + slot.size());
      Collections.rotate(keyMembers, -(int) Math.floorMod(state.nextTick(slot.counter()), (long) slot.size()));
    }
    return attempts.get(index);
  }

  /** Every attempt, for questions the order does not change (the soonest a candidate is free, say). */
  List<Attempt> all() {
    return view;
  }
}
