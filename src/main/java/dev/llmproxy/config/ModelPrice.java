package dev.llmproxy.config;

import java.math.BigDecimal;

/**
 * A model row's {@code price: {input, output}}: US dollars per million prompt (input) and completion (output)
 * tokens, as providers publish them. What {@code max-cost-per-month} of client keys counts. Immutable.
 */
public record ModelPrice(BigDecimal input, BigDecimal output) {
  private static final BigDecimal NANOS_PER_MILLION_TOKENS_PER_USD = BigDecimal.valueOf(1_000);

  /**
   * What {@code promptTokens} and {@code completionTokens} cost, in nano-dollars (10<sup>-9</sup> USD) rounded to
   * the nearest: integers add up exactly in shared counters, and a nano-dollar is far below any price's precision.
   */
  public long nanoDollars(long promptTokens, long completionTokens) {
    BigDecimal cost = input.multiply(BigDecimal.valueOf(promptTokens))
        .add(output.multiply(BigDecimal.valueOf(completionTokens)))
        .multiply(NANOS_PER_MILLION_TOKENS_PER_USD);
    return cost.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
  }
}
