package dev.llmproxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.config.ClientKeyConfig;
import dev.llmproxy.config.LimitsConfig;
import dev.llmproxy.config.ModelPrice;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.routing.MutableClock;
import dev.llmproxy.state.LocalCounters;
import dev.llmproxy.state.SharedCounters;
import dev.llmproxy.usage.MemoryUsageStore;
import dev.llmproxy.usage.RequestOutcome;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Admission and charging against a clock moved by hand, in one instance's memory and as one instance of a fleet. */
class ClientLimitsTest {
  private static final TokenUsage TWELVE = new TokenUsage(5, 7, 12);
  private static final ModelPrice PRICE = new ModelPrice(BigDecimal.ONE, BigDecimal.valueOf(2));

  private final MutableClock clock = new MutableClock();
  private final AtomicLong nanos = new AtomicLong();
  private final ScheduledExecutorService scheduler = new ScheduledThreadPoolExecutor(1);
  private final MemoryUsageStore store = new MemoryUsageStore();

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  private ClientLimits limits(SharedCounters counters, boolean shared) {
    MonthlySeeder seeder = new MonthlySeeder(counters, new RecordedSpend(store, () -> null), Runnable::run, scheduler,
        clock, nanos::get);
    return new ClientLimits(counters, shared, seeder, clock, nanos::get, null);
  }

  private static ClientIdentity key(String name, LimitsConfig limits) {
    return ClientIdentity.apiKey(new ClientKeyConfig("key-of-" + name, ClientKeyConfig.sha256Hex("key-of-" + name),
        name, limits));
  }

  private static LimitsConfig limits(List<String> models, Integer rpm, Long tpm, Long monthTokens, String monthCost) {
    return new LimitsConfig(models, rpm, tpm, monthTokens, monthCost == null ? null : new BigDecimal(monthCost), null,
        false);
  }

  private static ClientError now(CompletableFuture<ClientError> admission) {
    assertTrue(admission.isDone(), "decided at once");
    return admission.getNow(null);
  }

  @Test
  void clientsWithoutLimitsAreAdmittedWithoutCounting() {
    LocalCounters counters = new LocalCounters(clock);
    ClientLimits limits = limits(counters, false);
    assertNull(now(limits.admit(ClientIdentity.ANONYMOUS, "m", true)));
    ClientIdentity plain = ClientIdentity.apiKey(ClientKeyConfig.plain("plain-key"));
    assertNull(plain.limits());
    assertSame(limits.admit(plain, "m", true), limits.admit(ClientIdentity.ANONYMOUS, "m", true),
        "one shared answer: nothing allocated for unlimited clients");
  }

  @Test
  void aModelOutsideTheListIsRefusedEvenForLocalAnswers() {
    ClientLimits limits = limits(new LocalCounters(clock), false);
    ClientIdentity client = key("team", limits(List.of("gpt-4o*"), null, null, null, null));
    assertNull(now(limits.admit(client, "GPT-4o-mini", true)), "patterns ignore case");
    ClientError refused = now(limits.admit(client, "claude-3", false));
    assertEquals(403, refused.status());
    assertEquals("model_not_allowed", refused.error().code());
    assertEquals("The model 'claude-3' is not allowed for key team.", refused.message());
    assertTrue(ClientLimits.allows(client, "gpt-4o") && !ClientLimits.allows(client, "claude-3"));
  }

  @Test
  void requestsPerMinuteAreExactAndARefusedOneDoesNotCount() {
    LocalCounters counters = new LocalCounters(clock);
    ClientLimits limits = limits(counters, false);
    ClientIdentity client = key("team", limits(List.of(), 2, null, null, null));
    clock.advance(Duration.ofSeconds(15));
    assertNull(now(limits.admit(client, "m", true)));
    assertNull(now(limits.admit(client, "m", true)));
    ClientError refused = now(limits.admit(client, "m", true));
    assertEquals(429, refused.status());
    assertEquals("rate_limit_exceeded", refused.error().code());
    assertEquals("45", refused.retryAfterSeconds(), "until the minute is over");
    assertEquals(2, counters.estimate(LimitWindows.requests(client.limitId(), LimitWindows.minute(clock.instant()))));
    assertNull(now(limits.admit(client, "m", false)), "token counts and other local answers are not metered");

    clock.advance(Duration.ofSeconds(45));
    assertNull(now(limits.admit(client, "m", true)), "a new minute");
  }

  @Test
  void tokensPerMinuteCountWhatWasCharged() {
    ClientLimits limits = limits(new LocalCounters(clock), false);
    ClientIdentity client = key("team", limits(List.of(), null, 20L, null, null));
    assertNull(now(limits.admit(client, "m", true)));
    limits.charge(client, TWELVE, 0);
    assertNull(now(limits.admit(client, "m", true)), "12 of 20");
    limits.charge(client, TWELVE, 0);
    ClientError refused = now(limits.admit(client, "m", true));
    assertEquals("rate_limit_exceeded", refused.error().code());
    assertEquals("60", refused.retryAfterSeconds());
    limits.charge(client, null, 0);
    clock.advance(Duration.ofMinutes(1));
    assertNull(now(limits.admit(client, "m", true)));
  }

  @Test
  void monthlyTokensAndCostRefuseWithInsufficientQuotaUntilTheNextMonth() {
    ClientLimits limits = limits(new LocalCounters(clock), false);
    ClientIdentity tokens = key("tokens", limits(List.of(), null, null, 20L, null));
    ClientIdentity cost = key("cost", limits(List.of(), null, null, null, "0.00003"));
    for (ClientIdentity client : List.of(tokens, cost)) {
      for (int i = 0; i < 2; i++) {
        assertNull(now(limits.admit(client, "m", true)));
        limits.charge(client, TWELVE, PRICE.nanoDollars(TWELVE.prompt(), TWELVE.completion())); // $0.000019 each
      }
      ClientError refused = now(limits.admit(client, "m", true));
      assertEquals(429, refused.status());
      assertEquals("insufficient_quota", refused.error().code());
      assertEquals("insufficient_quota", refused.error().typeName());
      assertNull(refused.retryAfter());
    }
    assertEquals(new LimitUsage(null, null, 24L, new BigDecimal("0.000038")), limits.usage(cost));
    clock.advance(Duration.ofDays(31));
    assertNull(now(limits.admit(tokens, "m", true)), "February");
  }

  @Test
  void aMonthStartsFromTheUsageRecordsOnceWhateverTheNumberOfInstances() {
    ClientIdentity client = key("team", limits(List.of(), null, null, 30L, null));
    clock.advance(Duration.ofDays(3));
    store.append(List.of(UsageRecord.of(Instant.parse("2026-01-02T10:00:00Z"), "key team", "m", "p", "m", "openai",
        "/v1/chat/completions", RequestOutcome.SUCCEEDED, 200, new TokenUsage(10, 14, 24), 5, 0, false),
        UsageRecord.of(Instant.parse("2025-12-31T10:00:00Z"), "key team", "m", "p", "m", "openai",
            "/v1/chat/completions", RequestOutcome.SUCCEEDED, 200, new TokenUsage(100, 100, 200), 5, 0, false)));
    LocalCounters shared = new LocalCounters(clock);
    ClientLimits first = limits(shared, false);
    assertNull(now(first.admit(client, "m", true)), "24 of 30: December does not count");
    ClientLimits second = limits(shared, false);
    assertNull(now(second.admit(client, "m", true)), "the second instance does not seed again");
    assertEquals(24, shared.estimate(LimitWindows.monthTokens(client.limitId(), LimitWindows.month(clock.instant()))));
    second.charge(client, TWELVE, 0);
    assertEquals("insufficient_quota", now(first.admit(client, "m", true)).error().code());
  }

  @Test
  void aStaleViewOfTheFleetWaitsForRedisAndAFreshOneDoesNot() {
    FleetCounters counters = new FleetCounters();
    ClientLimits limits = limits(counters, true);
    ClientIdentity client = key("team", limits(List.of(), 3, null, null, null));
    String requests = LimitWindows.requests(client.limitId(), LimitWindows.minute(clock.instant()));
    counters.othersAdd(requests, 3);
    counters.hold = true;

    CompletableFuture<ClientError> first = limits.admit(client, "m", true);
    assertFalse(first.isDone(), "this instance has not seen the client yet: it asks the fleet first");
    counters.deliver();
    assertEquals("rate_limit_exceeded", first.getNow(null).error().code(), "the fourth request of the fleet");
    counters.deliver();
    assertEquals(3, counters.fleet.get(requests), "taken back");

    counters.hold = false;
    nanos.addAndGet(ClientLimits.FRESH.toNanos() / 2);
    assertEquals("rate_limit_exceeded", now(limits.admit(client, "m", true)).error().code(), "fresh: no wait");
    counters.fleet.put(requests, 0L);
    nanos.addAndGet(ClientLimits.FRESH.toNanos());
    assertNull(limits.admit(client, "m", true).getNow(new ClientError(500, null)), "a second later it looks again");
  }

  @Test
  void withRedisEveryRequestTakesItsPlaceAmongTheFleetsEvenWithAFreshView() {
    FleetCounters counters = new FleetCounters();
    ClientLimits limits = limits(counters, true);
    ClientIdentity client = key("team", limits(List.of(), 3, null, null, null));
    String requests = LimitWindows.requests(client.limitId(), LimitWindows.minute(clock.instant()));
    assertNull(now(limits.admit(client, "m", true)), "the fleet's first request");

    counters.othersAdd(requests, 2); // another instance admitted two meanwhile; this view is still fresh
    nanos.addAndGet(ClientLimits.FRESH.toNanos() / 2);
    counters.hold = true;
    CompletableFuture<ClientError> fourth = limits.admit(client, "m", true);
    assertFalse(fourth.isDone(), "it waits for its place, though its own view (2 of 3) would let it in");
    counters.deliver();
    assertEquals("rate_limit_exceeded", fourth.getNow(null).error().code(), "the fleet's fourth request");
    counters.deliver();
    assertEquals(3, counters.fleet.get(requests), "taken back");
  }

  @Test
  void aMonthTheStoreLostIsSeededAgainBeforeTheRequestThatNoticedItIsDecided() {
    FleetCounters counters = new FleetCounters();
    ClientLimits limits = limits(counters, true);
    ClientIdentity client = key("team", limits(List.of(), null, null, 30L, null));
    clock.advance(Duration.ofDays(3));
    store.append(List.of(UsageRecord.of(clock.instant().minusSeconds(60), "key team", "m", "p", "m", "openai",
        "/v1/chat/completions", RequestOutcome.SUCCEEDED, 200, new TokenUsage(20, 16, 36), 5, 0, false)));
    assertEquals("insufficient_quota", limits.admit(client, "m", true).join().error().code(), "36 of 30");

    // The store lost the month and no instance remembered it: the next refresh reads its counters as 0.
    counters.fleet.clear();
    counters.floors.clear();
    nanos.addAndGet(ClientLimits.FRESH.toNanos());
    ClientError refusal = limits.admit(client, "m", true).join();
    assertEquals("insufficient_quota", refusal == null ? "admitted" : refusal.error().code(),
        "judged after the records were read again, not against the emptied counters");
    String tokens = LimitWindows.monthTokens(client.limitId(), LimitWindows.month(clock.instant()));
    assertEquals(36, counters.fleet.get(tokens), "the records, once");
  }

  @Test
  void withRedisDownTheLocalViewDecides() {
    FleetCounters counters = new FleetCounters();
    counters.down = true;
    ClientLimits limits = limits(counters, true);
    ClientIdentity client = key("team", limits(List.of(), 1, 20L, 30L, null));
    assertNull(limits.admit(client, "m", true).join());
    limits.charge(client, TWELVE, 0);
    assertEquals("rate_limit_exceeded", limits.admit(client, "m", true).join().error().code());
  }
}
