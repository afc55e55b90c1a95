package dev.llmproxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.config.ClientKeyConfig;
import dev.llmproxy.config.LimitsConfig;
import dev.llmproxy.config.RedisUrl;
import dev.llmproxy.config.StateConfig;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.state.SharedState;
import dev.llmproxy.testing.Await;
import dev.llmproxy.testing.RedisProcess;
import dev.llmproxy.usage.MemoryUsageStore;
import dev.llmproxy.usage.RequestOutcome;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A month's counters on a Redis restarted empty: instances still running bring them back, and the usage records are
 * read again only when none remembers the month; the two never add up.
 */
class MonthlyLimitsRedisRestartTest {
  private static final Duration RECOVERY = Duration.ofSeconds(10);
  private static final TokenUsage TWELVE = new TokenUsage(5, 7, 12);
  private static final ClientIdentity CLIENT = ClientIdentity.apiKey(new ClientKeyConfig("key-of-team",
      ClientKeyConfig.sha256Hex("key-of-team"), "team", new LimitsConfig(List.of(), null, null, 30L, null, null,
      false)));
  private static final ClientIdentity UNDER = ClientIdentity.apiKey(new ClientKeyConfig("key-of-under",
      ClientKeyConfig.sha256Hex("key-of-under"), "under", new LimitsConfig(List.of(), null, null, 1000L, null, null,
      false)));

  private final Clock clock = Clock.systemUTC();
  private final MemoryUsageStore store = new MemoryUsageStore();
  private final List<ScheduledExecutorService> schedulers = new ArrayList<>();
  private final List<SharedState> states = new ArrayList<>();

  @AfterEach
  void stop() {
    states.forEach(SharedState::close);
    schedulers.forEach(ScheduledExecutorService::shutdownNow);
  }

  @Test
  void runningInstancesBringTheMonthBackAndRecordsAreReadAgainWhenNoneRemembersIt() throws Exception {
    try (RedisProcess redis = RedisProcess.start()) {
      SharedState a = state(redis);
      SharedState b = state(redis);
      awaitUp(a, b);
      ClientLimits onA = limits(a);
      ClientLimits onB = limits(b);
      record(24);
      assertEquals(24, onA.usage(CLIENT).tokensThisMonth(), "seeded from the records");
      onA.charge(CLIENT, TWELVE, 0);
      record(12);
      awaitFleetTokens(onB, CLIENT, 36);
      assertEquals(36, onB.usage(CLIENT).tokensThisMonth());

      redis.kill();
      awaitDown(a, b);
      redis.restart();
      awaitUp(a, b);
      // Each instance restores its counters once it is back, asynchronously: wait for both, then for nothing more.
      Await.until(RECOVERY, () -> onA.usage(CLIENT).tokensThisMonth() == 36
          && onB.usage(CLIENT).tokensThisMonth() == 36, "both restored");
      Thread.sleep(500);
      assertEquals(36, onA.usage(CLIENT).tokensThisMonth(), "restored, not forgotten");
      assertEquals(36, onB.usage(CLIENT).tokensThisMonth(), "restored once, and not seeded again on top");
      assertEquals("insufficient_quota", refusal(onA).error().code());
      assertEquals("insufficient_quota", refusal(onB).error().code());

      a.close();
      b.close();
      redis.kill();
      redis.restart();
      SharedState c = state(redis);
      awaitUp(c);
      assertEquals(36, limits(c).usage(CLIENT).tokensThisMonth(), "no instance remembers: the records again");
    }
  }

  @Test
  void aRedisFlushedWhileConnectedKeepsAnOverBudgetKeyRefusedAndCountsEachRequestOnce() throws Exception {
    try (RedisProcess redis = RedisProcess.start()) {
      SharedState a = state(redis);
      SharedState b = state(redis);
      awaitUp(a, b);
      ClientLimits onA = limits(a);
      ClientLimits onB = limits(b);
      record("key team", 24);
      record("key under", 100);
      assertEquals(24, onA.usage(CLIENT).tokensThisMonth(), "seeded from the records");
      onA.charge(CLIENT, TWELVE, 0);
      record("key team", 12);
      awaitFleetTokens(onB, CLIENT, 36);
      assertEquals(null, refusal(onA, UNDER));
      assertEquals(null, refusal(onB, UNDER));
      assertEquals(100, onB.usage(UNDER).tokensThisMonth());
      assertEquals("insufficient_quota", refusal(onB, CLIENT).error().code(), "36 of 30 tokens, as B sees it");

      redis.command("FLUSHALL");
      Thread.sleep(ClientLimits.FRESH.toMillis() + 100); // so that the next admissions refresh their views
      for (int i = 0; i < 8; i++) {
        ClientError refusal = refusal(i % 2 == 0 ? onA : onB, CLIENT);
        assertEquals("insufficient_quota", refusal == null ? "admitted" : refusal.error().code(), "request " + i);
      }
      assertEquals(36, onA.usage(CLIENT).tokensThisMonth(), "restored, not forgotten");
      assertEquals(36, onB.usage(CLIENT).tokensThisMonth());

      assertEquals(null, refusal(onA, UNDER));
      onA.charge(UNDER, new TokenUsage(4, 6, 10), 0);
      record("key under", 10);
      Thread.sleep(ClientLimits.FRESH.toMillis() + 100);
      assertEquals(null, refusal(onB, UNDER));
      assertEquals(null, refusal(onA, UNDER));
      assertEquals(110, onB.usage(UNDER).tokensThisMonth(), "the 100 from before the flush and the 10 after, once");
      assertEquals(110, onA.usage(UNDER).tokensThisMonth());
    }
  }

  private SharedState state(RedisProcess redis) {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    schedulers.add(scheduler);
    SharedState state = SharedState.open(new StateConfig(StateConfig.Store.REDIS, RedisUrl.parse(redis.url()),
        "m:", Duration.ofMillis(500), null), clock, scheduler);
    states.add(state);
    return state;
  }

  private ClientLimits limits(SharedState state) {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    schedulers.add(scheduler);
    MonthlySeeder seeder = new MonthlySeeder(state.counters(), new RecordedSpend(store, () -> null), Runnable::run,
        scheduler, clock, System::nanoTime);
    return new ClientLimits(state.counters(), true, seeder, clock, System::nanoTime, null);
  }

  private void record(long tokens) {
    record("key team", tokens);
  }

  private void record(String client, long tokens) {
    store.append(List.of(UsageRecord.of(clock.instant(), client, "m", "p", "m", "openai", "/v1/chat/completions",
        RequestOutcome.SUCCEEDED, 200, new TokenUsage(tokens, 0, tokens), 5, 0, false)));
  }

  private static ClientError refusal(ClientLimits limits) throws Exception {
    return refusal(limits, CLIENT);
  }

  private static ClientError refusal(ClientLimits limits, ClientIdentity client) throws Exception {
    return limits.admit(client, "m", true).get(5, TimeUnit.SECONDS);
  }

  /**
   * Waits until {@code on} reads the fleet's month at {@code tokens}: a charge is sent to Redis without waiting, so
   * another instance reading at once may read before it lands.
   */
  private static void awaitFleetTokens(ClientLimits on, ClientIdentity client, long tokens) {
    Await.until(RECOVERY, () -> on.usage(client).tokensThisMonth() == tokens, "the charge reached Redis");
  }

  private static void awaitDown(SharedState... states) {
    Await.until(RECOVERY, () -> List.of(states).stream().noneMatch(s -> s.status().equals("redis")), "Redis down");
  }

  private static void awaitUp(SharedState... states) {
    Await.until(RECOVERY, () -> List.of(states).stream().allMatch(s -> s.status().equals("redis")), "Redis up");
  }
}
