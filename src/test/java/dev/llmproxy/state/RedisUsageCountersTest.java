package dev.llmproxy.state;

import static dev.llmproxy.state.SharedStateFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.RedisProcess;
import dev.llmproxy.usage.RequestOutcome;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageCounters;
import dev.llmproxy.usage.UsageCounters.Row;
import dev.llmproxy.usage.UsageRecord;
import dev.llmproxy.usage.UsageTotals;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Live usage counted by several instances on a real redis-server: one sum, one period, and what an outage costs. */
class RedisUsageCountersTest {
  /** Writes go every 250 ms; reads are asked for. */
  private static final Duration SHARED = Duration.ofSeconds(1);
  private static final Duration RECOVERY = Duration.ofSeconds(10);
  private static final String ALICE = "user alice";

  private static RedisProcess redis;
  private SharedStateFixture fleet;

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void closeFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private UsageCounters instance(TestInfo test) {
    if (fleet == null) {
      fleet = new SharedStateFixture(redis, "u-" + test.getTestMethod().orElseThrow().getName() + ":");
    }
    return fleet.instance().usageCounters();
  }

  static UsageRecord record(String client, RequestOutcome outcome, long prompt, long completion) {
    return UsageRecord.of(Instant.now(), client, "gpt", "p", "gpt", "openai", "/v1/chat/completions", outcome,
        outcome == RequestOutcome.SUCCEEDED ? 200 : 502, new TokenUsage(prompt, completion, prompt + completion, 0, 0),
        10, 0, false);
  }

  private static void count(UsageCounters on, int requests) {
    for (int i = 0; i < requests; i++) {
      on.record(record(ALICE, RequestOutcome.SUCCEEDED, 10, 2));
    }
  }

  /** Alice's requests as {@code on} reports them; 0 when she has no row. */
  private static long requests(UsageCounters on) {
    return on.snapshot().stream().filter(r -> r.client().equals(ALICE)).mapToLong(r -> r.totals().requests()).sum();
  }

  @Test
  void usageThroughTwoInstancesAddsUpOnAThird(TestInfo test) {
    UsageCounters a = instance(test);
    UsageCounters b = instance(test);
    UsageCounters c = instance(test);
    fleet.awaitUp(RECOVERY);

    count(a, 2);
    b.record(record(ALICE, RequestOutcome.FAILED, 0, 0));
    b.record(record("key sk-t...abcd", RequestOutcome.CANCELLED, 0, 0));
    assertEquals(2, requests(a), "an instance's own requests count at once");

    List<Row> expected = List.of(new Row("key sk-t...abcd", "gpt", new UsageTotals(1, 0, 0, 1, 0, 0, 0, 0, 0)),
        new Row(ALICE, "gpt", new UsageTotals(3, 2, 1, 0, 20, 4, 0, 0, 24)));
    await(SHARED, () -> c.snapshot().equals(expected), "C reports what A and B counted");
    await(SHARED, () -> a.snapshot().equals(expected) && b.snapshot().equals(expected), "so do A and B");
    assertEquals(a.since(), c.since(), "one period");
  }

  @Test
  void aResetOnOneInstanceStartsANewPeriodEverywhere(TestInfo test) throws InterruptedException {
    UsageCounters a = instance(test);
    UsageCounters b = instance(test);
    UsageCounters c = instance(test);
    fleet.awaitUp(RECOVERY);
    count(a, 2);
    count(c, 1);
    await(SHARED, () -> requests(b) == 3, "B sees 3");
    Instant before = b.since();

    Thread.sleep(2); // a new period starts a millisecond later at least
    b.reset();
    assertEquals(List.of(), b.snapshot(), "empty at once where it was reset");
    assertTrue(b.since().isAfter(before));
    await(SHARED, () -> a.snapshot().isEmpty() && c.snapshot().isEmpty(), "A and C start the new period");
    assertEquals(b.since(), a.since());
    assertEquals(b.since(), c.since());

    count(a, 1);
    await(SHARED, () -> requests(c) == 1 && requests(b) == 1, "the new period adds up as the old one did");
  }

  @Test
  void countsMadeWhileRedisIsDownAndBeforeItLostEverythingAreThereWhenItIsBack() {
    try (RedisProcess own = RedisProcess.start();
        SharedStateFixture outage = new SharedStateFixture(own, "u-outage:")) {
      UsageCounters a = outage.instance().usageCounters();
      UsageCounters b = outage.instance().usageCounters();
      outage.awaitUp(RECOVERY);
      count(a, 2);
      await(SHARED, () -> requests(b) == 2, "B sees A's two");
      Instant since = b.since();

      own.kill();
      outage.awaitDown(RECOVERY);
      count(a, 1);
      count(b, 3);
      assertEquals(5, requests(b), "B adds its own to what it last read of A");

      own.restart();
      outage.awaitUp(RECOVERY);
      await(RECOVERY, () -> requests(a) == 6 && requests(b) == 6, "every count, from before and during the outage");
      assertEquals(since, a.since(), "the period goes on");
      assertEquals(since, b.since());
    }
  }

  @Test
  void aResetWhileRedisIsDownReachesTheOthersWhenItIsBack() {
    try (RedisProcess own = RedisProcess.start();
        SharedStateFixture outage = new SharedStateFixture(own, "u-reset:")) {
      UsageCounters a = outage.instance().usageCounters();
      UsageCounters b = outage.instance().usageCounters();
      outage.awaitUp(RECOVERY);
      count(a, 2);
      await(SHARED, () -> requests(b) == 2, "B sees A's two");

      own.kill();
      outage.awaitDown(RECOVERY);
      b.reset();
      count(b, 1);
      assertEquals(1, requests(b));

      own.restart();
      outage.awaitUp(RECOVERY);
      await(RECOVERY, () -> requests(a) == 1 && a.since().equals(b.since()), "A takes B's period, and B's count");
    }
  }

  @Test
  void anInstanceThatJoinsCountsInThePeriodUnderWay(TestInfo test) {
    UsageCounters a = instance(test);
    fleet.awaitUp(RECOVERY);
    count(a, 1);
    await(SHARED, () -> !redis.command("GET", fleet.prefix() + "usage:period").equals("$-1"), "A wrote its period");

    UsageCounters late = instance(test);
    count(late, 1);
    fleet.awaitUp(RECOVERY);
    await(SHARED, () -> requests(a) == 2 && requests(late) == 2, "the late instance's request counts in A's period");
    assertEquals(a.since(), late.since());
  }
}
