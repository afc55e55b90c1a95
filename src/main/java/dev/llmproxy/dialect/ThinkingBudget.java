package dev.llmproxy.dialect;

/**
 * A thinking budget in tokens as a {@code reasoning_effort}: up to 1024 (Anthropic's minimum {@code budget_tokens})
 * {@code low}, up to 8192 (Claude Code's "think" is 4000) {@code medium}, above ("think hard" 10000, "ultrathink"
 * 31999) {@code high}. The thresholds are CLIProxyAPI's ({@code ConvertBudgetToLevel}) with its {@code minimal}
 * folded into {@code low} and {@code xhigh} into {@code high}. Shared by Anthropic's {@code thinking} and the
 * {@link ThinkingSuffix}, so one budget means one effort whichever way it was asked. Stateless.
 */
public final class ThinkingBudget {
  public static final long LOW_MAX_BUDGET = 1024;
  public static final long MEDIUM_MAX_BUDGET = 8192;

  private ThinkingBudget() {}

  /** {@code low}, {@code medium} or {@code high} for a budget of {@code budget} tokens. */
  public static String effortFor(long budget) {
    if (budget <= LOW_MAX_BUDGET) {
      return "low";
    }
    return budget <= MEDIUM_MAX_BUDGET ? "medium" : "high";
  }
}
