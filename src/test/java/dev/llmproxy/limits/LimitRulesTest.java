package dev.llmproxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.config.LimitsConfig;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.routing.MutableClock;
import dev.llmproxy.state.LocalCounters;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitRulesTest {
  private final MutableClock clock = new MutableClock();
  private final LocalCounters counters = new LocalCounters(clock);
  private final LimitsConfig all = new LimitsConfig(List.of(), 1, 10L, 100L, new BigDecimal("0.5"), null, false);
  private final ClientIdentity alice = ClientIdentity.user("alice", all);

  private String refusedBy(long requests) {
    ClientError refusal = LimitRules.refusal(alice, all, counters, clock.instant(), requests);
    return refusal == null ? null : refusal.error().code() + " " + refusal.retryAfterSeconds() + " " + refusal.message();
  }

  @Test
  void aMonthlyLimitComesFirstThenTokensThenRequests() {
    clock.advance(Duration.ofSeconds(20));
    Instant now = clock.instant();
    assertNull(refusedBy(1));
    assertEquals("rate_limit_exceeded 40 Rate limit reached for user alice: rpm is 1 requests per minute. Retry after "
        + "the time in the Retry-After header.", refusedBy(2));
    counters.add(LimitWindows.tokens("user:alice", LimitWindows.minute(now)), 10, LimitWindows.RATE_TTL);
    assertEquals("rate_limit_exceeded 40 Rate limit reached for user alice: tpm is 10 tokens per minute. Retry after "
        + "the time in the Retry-After header.", refusedBy(2));
    counters.add(LimitWindows.monthCost("user:alice", LimitWindows.month(now)), 500_000_000, LimitWindows.MONTH_TTL);
    assertEquals("insufficient_quota null Monthly limit reached for user alice: max-cost-per-month is $0.5.",
        refusedBy(2));
    counters.add(LimitWindows.monthTokens("user:alice", LimitWindows.month(now)), 100, LimitWindows.MONTH_TTL);
    assertEquals("insufficient_quota null Monthly limit reached for user alice: max-tokens-per-month is 100 tokens.",
        refusedBy(2));
  }

  @Test
  void dollarsAreCountedInNanoDollars() {
    assertEquals(12_500_000_000L, LimitRules.nanoDollars(new BigDecimal("12.5")));
    assertEquals(1, LimitRules.nanoDollars(new BigDecimal("0.000000001")));
  }
}
