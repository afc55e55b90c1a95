package dev.llmproxy.limits;

import dev.llmproxy.config.ModelPrice;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.ModelRoute;
import dev.llmproxy.routing.PoolMember;
import dev.llmproxy.routing.SnapshotHolder;
import dev.llmproxy.usage.ModelTokens;
import dev.llmproxy.usage.UsageStore;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * What a client's durable usage records add up to over a period: its tokens, and what they were charged (the cost
 * each record kept, the same number the live counters counted, estimates included). Records written before records
 * kept their cost are priced as the running config prices their model and provider. Blocks (database I/O): for the seeding thread and
 * management only. Thread-safe.
 */
final class RecordedSpend {
  /** Tokens and cost (nano-dollars) over a period. */
  record Spend(long tokens, long nanoDollars) {}

  private final UsageStore store;
  private final Supplier<GatewaySnapshot> snapshots;

  RecordedSpend(UsageStore store, SnapshotHolder snapshots) {
    this(store, snapshots::current);
  }

  RecordedSpend(UsageStore store, Supplier<GatewaySnapshot> snapshots) {
    this.store = store;
    this.snapshots = snapshots;
  }

  /** @throws dev.llmproxy.usage.UsageStoreException when the store cannot be read */
  Spend of(String client, Instant from, Instant before) {
    store.prepare();
    GatewaySnapshot snapshot = snapshots.get();
    long tokens = 0;
    long cost = 0;
    for (ModelTokens row : store.clientTokens(client, from, before)) {
      tokens += row.totalTokens();
      if (row.costNanoDollars() != null) {
        cost += row.costNanoDollars();
        continue;
      }
      ModelPrice price = snapshot == null ? null : price(snapshot, row.model(), row.provider());
      if (price != null) {
        cost += price.nanoDollars(row.promptTokens(), row.completionTokens());
      }
    }
    return new Spend(tokens, cost);
  }

  /**
   * The price of the first member of {@code model}'s route at {@code provider}, or {@code null}: the best guess for
   * records that did not keep which of a pool's models answered.
   */
  private static ModelPrice price(GatewaySnapshot snapshot, String model, String provider) {
    ModelRoute route = snapshot.table().find(model);
    if (route == null) {
      return null;
    }
    for (PoolMember member : route.members()) {
      if (member.provider().name().equals(provider)) {
        return member.price();
      }
    }
    return null;
  }
}
