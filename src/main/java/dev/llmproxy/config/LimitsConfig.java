package dev.llmproxy.config;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What a client may do: the limit fields of an {@code api-keys} object entry and of a {@code user-limits} entry.
 * {@code null} means no limit. Immutable.
 *
 * <p>Defaults (field absent): every model, no rate limits, no monthly limits, never expires, enabled.
 *
 * @param models patterns of the client model ids allowed ({@code gpt-4o}, {@code claude-*}, lower-cased; the same
 *     wildcards as {@code excluded-models}); empty = every model
 * @param rpm requests per calendar minute (UTC)
 * @param tpm tokens (prompt + completion, as upstreams report them) per calendar minute
 * @param maxTokensPerMonth tokens per calendar month (UTC)
 * @param maxCostPerMonth US dollars per calendar month, priced with the models' {@code price}
 * @param expires the instant the key stops working ({@code expires: 2026-07-01} = 00:00 UTC that day)
 * @param disabled refused as if it did not exist, but kept in the file
 * @param maxParallelRequests requests of this client held open at once ({@code max-parallel-requests}), on all
 *     instances together with {@code state.store: redis}; one more gets 429 at once, before its body is read
 */
public record LimitsConfig(List<String> models, Integer rpm, Long tpm, Long maxTokensPerMonth,
    BigDecimal maxCostPerMonth, Instant expires, boolean disabled, Integer maxParallelRequests) {

  public static final LimitsConfig NONE = new LimitsConfig(List.of(), null, null, null, null, null, false);

  public LimitsConfig {
    models = List.copyOf(models);
  }

  /** Without a cap on parallel requests. */
  public LimitsConfig(List<String> models, Integer rpm, Long tpm, Long maxTokensPerMonth, BigDecimal maxCostPerMonth,
      Instant expires, boolean disabled) {
    this(models, rpm, tpm, maxTokensPerMonth, maxCostPerMonth, expires, disabled, null);
  }

  /** Whether anything here needs counting per request (rates or monthly limits). */
  public boolean counts() {
    return rpm != null || tpm != null || hasMonthlyLimit();
  }

  public boolean hasMonthlyLimit() {
    return maxTokensPerMonth != null || maxCostPerMonth != null;
  }

  /** Whether this changes anything for a client: a model list, a counted limit, a cap, an expiry or disabled. */
  public boolean isEmpty() {
    return models.isEmpty() && !counts() && maxParallelRequests == null && expires == null && !disabled;
  }
}
