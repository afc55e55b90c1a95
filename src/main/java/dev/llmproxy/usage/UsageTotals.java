package dev.llmproxy.usage;

/**
 * Sums over usage records: requests by outcome, reported tokens, and what they were charged. Immutable.
 *
 * @param costNanoDollars the cost the records were charged, in nano-dollars (10<sup>-9</sup> USD; integers add up
 *     exactly); SQL rows written before records kept their cost add nothing
 * @param estimatedRequests how many of the requests counted the gateway's estimate instead of the upstream's report
 *     (streams whose usage never came); their estimated tokens are in the token sums
 */
public record UsageTotals(long requests, long succeeded, long failed, long cancelled, long promptTokens,
    long completionTokens, long cachedTokens, long reasoningTokens, long totalTokens, long costNanoDollars,
    long estimatedRequests) {

  public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Totals that cost nothing, of reported tokens only. */
  public UsageTotals(long requests, long succeeded, long failed, long cancelled, long promptTokens,
      long completionTokens, long cachedTokens, long reasoningTokens, long totalTokens) {
    this(requests, succeeded, failed, cancelled, promptTokens, completionTokens, cachedTokens, reasoningTokens,
        totalTokens, 0, 0);
  }

  /** The totals of one record. */
  public static UsageTotals of(UsageRecord r) {
    return new UsageTotals(1, r.outcome() == RequestOutcome.SUCCEEDED ? 1 : 0,
        r.outcome() == RequestOutcome.FAILED ? 1 : 0, r.outcome() == RequestOutcome.CANCELLED ? 1 : 0,
        r.promptTokens(), r.completionTokens(), r.cachedTokens(), r.reasoningTokens(), r.totalTokens(),
        r.costNanoDollars(), r.estimated() ? 1 : 0);
  }

  /** What these totals add to {@code o}, which they include (a later reading of the same counters). */
  public UsageTotals minus(UsageTotals o) {
    return new UsageTotals(requests - o.requests, succeeded - o.succeeded, failed - o.failed,
        cancelled - o.cancelled, promptTokens - o.promptTokens, completionTokens - o.completionTokens,
        cachedTokens - o.cachedTokens, reasoningTokens - o.reasoningTokens, totalTokens - o.totalTokens,
        costNanoDollars - o.costNanoDollars, estimatedRequests - o.estimatedRequests);
  }

  public UsageTotals plus(UsageTotals o) {
    return new UsageTotals(requests + o.requests, succeeded + o.succeeded, failed + o.failed,
        cancelled + o.cancelled, promptTokens + o.promptTokens, completionTokens + o.completionTokens,
        cachedTokens + o.cachedTokens, reasoningTokens + o.reasoningTokens, totalTokens + o.totalTokens,
        costNanoDollars + o.costNanoDollars, estimatedRequests + o.estimatedRequests);
  }
}
