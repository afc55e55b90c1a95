package dev.llmproxy.limits;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.config.LimitsConfig;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.state.SharedCounters;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;

/**
 * Which limit, if any, refuses a request, read from the counters as this instance sees them: a monthly limit first
 * (429 {@code insufficient_quota}, no {@code Retry-After}: minutes of waiting do not help), then {@code tpm}, then
 * {@code rpm} (429 {@code rate_limit_exceeded}, {@code Retry-After} until the minute is over). Stateless.
 */
final class LimitRules {
  private static final BigDecimal NANOS_PER_DOLLAR = BigDecimal.valueOf(1_000_000_000L);

  private LimitRules() {}

  /**
   * The refusal of {@code client}'s request at {@code now}, or {@code null}.
   *
   * @param requests the client's requests of this minute, this one included
   */
  static ClientError refusal(ClientIdentity client, LimitsConfig limits, SharedCounters counters, Instant now,
      long requests) {
    String id = client.limitId();
    YearMonth month = LimitWindows.month(now);
    if (limits.maxTokensPerMonth() != null
        && counters.estimate(LimitWindows.monthTokens(id, month)) >= limits.maxTokensPerMonth()) {
      return new ClientError(429, OpenAiError.insufficientQuota(client.toString(),
          "max-tokens-per-month is " + limits.maxTokensPerMonth() + " tokens"));
    }
    if (limits.maxCostPerMonth() != null
        && counters.estimate(LimitWindows.monthCost(id, month)) >= nanoDollars(limits.maxCostPerMonth())) {
      return new ClientError(429, OpenAiError.insufficientQuota(client.toString(),
          "max-cost-per-month is $" + limits.maxCostPerMonth().toPlainString()));
    }
    long minute = LimitWindows.minute(now);
    if (limits.tpm() != null && counters.estimate(LimitWindows.tokens(id, minute)) >= limits.tpm()) {
      return new ClientError(429, OpenAiError.rateLimitExceeded(client.toString(),
          "tpm is " + limits.tpm() + " tokens per minute"), LimitWindows.untilNextMinute(now));
    }
    if (limits.rpm() != null && requests > limits.rpm()) {
      return new ClientError(429, OpenAiError.rateLimitExceeded(client.toString(),
          "rpm is " + limits.rpm() + " requests per minute"), LimitWindows.untilNextMinute(now));
    }
    return null;
  }

  /** US dollars in the unit of the cost counters. */
  static long nanoDollars(BigDecimal dollars) {
    return dollars.multiply(NANOS_PER_DOLLAR).longValue();
  }

  /** A cost counter's nano-dollars in US dollars, without trailing zeros. */
  static BigDecimal dollars(long nanoDollars) {
    return BigDecimal.valueOf(nanoDollars, 9).stripTrailingZeros();
  }
}
