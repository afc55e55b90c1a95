package dev.llmproxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.config.LimitsConfig;
import dev.llmproxy.routing.MutableClock;
import dev.llmproxy.usage.ModelTokens;
import dev.llmproxy.usage.UsageGrouping;
import dev.llmproxy.usage.UsageRecord;
import dev.llmproxy.usage.UsageReport;
import dev.llmproxy.usage.UsageStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The claim on a month's seed marker, the read of the records, and what happens when either fails. */
class MonthlySeederTest {
  private static final ClientIdentity ALICE = ClientIdentity.user("alice",
      new LimitsConfig(List.of(), null, null, 100L, null, null, false));
  private final MutableClock clock = new MutableClock();
  private final AtomicLong nanos = new AtomicLong();
  /** Keeps what is scheduled for the test to run, instead of waiting for it. */
  private final List<Runnable> scheduled = new ArrayList<>();
  private final ScheduledExecutorService scheduler = new ScheduledThreadPoolExecutor(1) {
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      scheduled.add(command);
      return null;
    }
  };
  private final FleetCounters counters = new FleetCounters();
  private final List<Runnable> io = new ArrayList<>();
  private final YearMonth month = LimitWindows.month(clock.instant());
  private RuntimeException storeFailure;
  private final List<Instant> reads = new ArrayList<>();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private MonthlySeeder seeder() {
    UsageStore store = new UsageStore() {
      @Override
      public void prepare() {}

      @Override
      public void append(List<UsageRecord> batch) {}

      @Override
      public UsageReport report(LocalDate from, LocalDate to, UsageGrouping groupBy) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<ModelTokens> clientTokens(String client, Instant from, Instant before) {
        reads.add(before);
        if (storeFailure != null) {
          throw storeFailure;
        }
        assertEquals("user alice", client);
        assertEquals(LimitWindows.startOf(month), from);
        return List.of(new ModelTokens("m", "p", "m", 10, 30, 40, null));
      }

      @Override
      public String describe() {
        return "a test store";
      }

      @Override
      public void close() {}
    };
    return new MonthlySeeder(counters, new RecordedSpend(store, () -> null), io::add, scheduler, clock, nanos::get);
  }

  @Test
  void theFirstInstanceToClaimTheMonthReadsTheRecordsUpToTheClaim() {
    ClientState state = new ClientState();
    CompletableFuture<Void> seeded = seeder().seeded(state, ALICE, month);
    assertFalse(seeded.isDone(), "requests wait for the read");
    assertEquals(1, io.size(), "the read runs on the io thread");
    io.remove(0).run();
    assertTrue(seeded.isDone());
    assertEquals(List.of(clock.instant()), reads);
    assertEquals(40, counters.fleet.get(LimitWindows.monthTokens("user:alice", month)));
    assertEquals(0, counters.fleet.get(LimitWindows.monthCost("user:alice", month)), "no config, no prices");

    assertTrue(seeder().seeded(new ClientState(), ALICE, month).isDone(), "another instance finds the claim");
    assertTrue(io.isEmpty());
    assertEquals(40, counters.fleet.get(LimitWindows.monthTokens("user:alice", month)), "not seeded twice");
  }

  @Test
  void anUnreachableStoreIsReadAgainLaterByTheClaimant() throws Exception {
    storeFailure = new IllegalStateException("database down");
    CompletableFuture<Void> seeded = seeder().seeded(new ClientState(), ALICE, month);
    io.remove(0).run();
    assertTrue(seeded.isDone(), "requests go on, counting live");
    assertEquals(1, counters.fleet.get(LimitWindows.monthSeeded("user:alice", month)), "the claim is kept");
    storeFailure = null;
    // The retry waits MonthlySeeder.RETRY on the scheduler: run what is scheduled now instead.
    new ArrayList<>(scheduled).forEach(Runnable::run);
    assertEquals(1, io.size(), "read again");
    io.remove(0).run();
    assertEquals(2, reads.size());
    assertEquals(reads.get(0), reads.get(1), "up to the same claim");
    assertEquals(40, counters.fleet.get(LimitWindows.monthTokens("user:alice", month)));
  }

  @Test
  void aClaimRedisDidNotAnswerIsTakenBackAndTriedAgainLater() {
    counters.down = true;
    ClientState state = new ClientState();
    MonthlySeeder seeder = seeder();
    assertTrue(seeder.seeded(state, ALICE, month).isDone());
    assertTrue(seeder.seeded(state, ALICE, month).isDone(), "not again before the retry time");
    counters.down = false;
    nanos.addAndGet(MonthlySeeder.RETRY.toNanos());
    CompletableFuture<Void> retried = seeder.seeded(state, ALICE, month);
    assertEquals(1, io.size(), "claimed this time");
    io.remove(0).run();
    assertTrue(retried.isDone());
    assertEquals(40, counters.fleet.get(LimitWindows.monthTokens("user:alice", month)));
  }

  @Test
  void recordsReadAgainOverCountersTheFleetRestoredCountOnce() {
    String tokens = LimitWindows.monthTokens("user:alice", month);
    counters.raise(tokens, 55, LimitWindows.MONTH_TTL); // what a running instance restored to a Redis that lost it
    counters.othersAdd(tokens, 5); // counted live since
    seeder().seeded(new ClientState(), ALICE, month);
    io.remove(0).run();
    assertEquals(60, counters.fleet.get(tokens), "the records' 40 are a view of the restored 55, not more on top");
  }
}
