package dev.llmproxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.YearMonth;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientStateTest {
  private static final YearMonth MAY = YearMonth.of(2026, 5);
  private final ClientState state = new ClientState();
  private final AtomicInteger started = new AtomicInteger();

  private CompletableFuture<Void> start(CompletableFuture<Void> future) {
    started.incrementAndGet();
    return future;
  }

  @Test
  void aViewIsRefreshedOncePerPeriodAndRequestsMeanwhileWaitForTheRefreshInFlight() {
    CompletableFuture<Void> refresh = new CompletableFuture<>();
    assertSame(refresh, state.syncIfStale(0, 1_000, () -> start(refresh)), "never synced: stale");
    assertSame(refresh, state.syncIfStale(10, 1_000, () -> start(new CompletableFuture<>())), "in flight: wait too");
    refresh.complete(null);
    assertNull(state.syncIfStale(999, 1_000, () -> start(new CompletableFuture<>())), "fresh");
    CompletableFuture<Void> next = CompletableFuture.completedFuture(null);
    assertSame(next, state.syncIfStale(1_000, 1_000, () -> start(next)));
    assertEquals(2, started.get());
  }

  @Test
  void aMonthIsSeededOnceAndAgainOnlyAfterAFailureWaitedItsTurnOrAfterTheStoreForgotIt() {
    CompletableFuture<Void> seed = new CompletableFuture<>();
    assertSame(seed, state.seedFor(MAY, 0, () -> start(seed)));
    assertSame(seed, state.seedFor(MAY, 5, () -> start(new CompletableFuture<>())));
    state.forgetSeed(MAY);
    assertSame(seed, state.seedFor(MAY, 6, () -> start(new CompletableFuture<>())), "a seed in progress stays");

    state.seedFailed(MAY, 100);
    assertSame(ClientState.DONE, state.seedFor(MAY, 50, () -> start(new CompletableFuture<>())), "not before 100");
    CompletableFuture<Void> again = CompletableFuture.completedFuture(null);
    assertSame(again, state.seedFor(MAY, 100, () -> start(again)));
    state.forgetSeed(MAY);
    CompletableFuture<Void> third = CompletableFuture.completedFuture(null);
    assertSame(third, state.seedFor(MAY, 101, () -> start(third)), "the store lost the month: seed again");
    assertEquals(3, started.get());
    CompletableFuture<Void> june = CompletableFuture.completedFuture(null);
    assertSame(june, state.seedFor(MAY.plusMonths(1), 102, () -> start(june)));
  }
}
