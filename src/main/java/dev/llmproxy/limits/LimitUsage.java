package dev.llmproxy.limits;

import java.math.BigDecimal;

/**
 * Where a client stands against its limits right now, for management; {@code null} for what its limits do not count.
 * Immutable.
 *
 * @param requestsThisMinute requests admitted in the current minute (counted for {@code rpm})
 * @param tokensThisMinute tokens reported in the current minute (counted for {@code tpm})
 * @param tokensThisMonth tokens of the current month (counted for the monthly limits)
 * @param costThisMonth US dollars of the current month at the models' prices (counted for the monthly limits)
 */
public record LimitUsage(Long requestsThisMinute, Long tokensThisMinute, Long tokensThisMonth,
    BigDecimal costThisMonth) {
  public static final LimitUsage NONE = new LimitUsage(null, null, null, null);
}
