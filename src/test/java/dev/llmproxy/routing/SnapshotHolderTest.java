package dev.llmproxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.GatewayConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnapshotHolderTest {
  private static GatewayConfig config(String key) throws Exception {
    return new ConfigLoader(n -> null).parse("api-keys: [\"" + key + "\"]\n", "test");
  }

  private static DiscoveredModels discovered(String... ids) {
    return new DiscoveredModels(Map.of("p", List.of(ids)));
  }

  @Test
  void anUpdateRacedByAnInstallIsAppliedAgainToTheNewerSnapshot() throws Exception {
    SnapshotHolder holder = new SnapshotHolder();
    holder.install(GatewaySnapshot.of(config("old"), DiscoveredModels.NONE, 0));
    GatewayConfig reloaded = config("new");
    AtomicInteger calls = new AtomicInteger();
    holder.update(running -> {
      if (calls.getAndIncrement() == 0) {
        // A reload lands between this update's read and its swap.
        holder.install(GatewaySnapshot.of(reloaded, DiscoveredModels.NONE, 1));
      }
      return GatewaySnapshot.of(running.config(), discovered("m1"), 2);
    });
    assertEquals(2, calls.get(), "applied again after the race");
    assertEquals(reloaded, holder.current().config(), "the reload is kept");
    assertEquals(discovered("m1"), holder.current().discovered(), "and so is the discovered list");
  }

  @Test
  void anUpdateWithoutASnapshotDoesNothing() {
    SnapshotHolder holder = new SnapshotHolder();
    holder.update(running -> GatewaySnapshot.of(running.config(), discovered("m1"), 2));
    assertNull(holder.current());
  }
}
