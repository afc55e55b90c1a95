package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.JsonFields;
import dev.llmproxy.dialect.ThinkingBudget;
import dev.llmproxy.dialect.TranslationException;

/**
 * Anthropic's {@code thinking} as chat-completions {@code reasoning_effort}. Only {@code low},
 * {@code medium} and {@code high} are produced: every reasoning upstream accepts these three, while
 * {@code minimal}, {@code xhigh} and {@code none} are each rejected by some (OpenAI o-series, DeepSeek,
 * vLLM validate the value), and a rejected value fails the whole request.
 *
 * <table>
 *   <caption>mapping</caption>
 *   <tr><th>thinking</th><th>reasoning_effort</th></tr>
 *   <tr><td>{@code enabled}, {@code budget_tokens} ≤ 1024 (Anthropic's minimum)</td><td>{@code low}</td></tr>
 *   <tr><td>{@code enabled}, 1025–8192 (Claude Code's "think" is 4000)</td><td>{@code medium}</td></tr>
 *   <tr><td>{@code enabled}, above 8192 ("think hard" 10000, "ultrathink" 31999)</td><td>{@code high}</td></tr>
 *   <tr><td>{@code enabled} without a budget</td><td>{@code medium}</td></tr>
 *   <tr><td>{@code adaptive} with {@code output_config.effort} low/medium/high/max</td>
 *       <td>low/medium/high/high</td></tr>
 *   <tr><td>{@code adaptive} without an effort, {@code disabled}, absent</td><td>not sent</td></tr>
 * </table>
 *
 * <p>The budget thresholds are {@link ThinkingBudget}'s (CLIProxyAPI's). {@code disabled} sends nothing rather
 * than {@code none}: non-reasoning upstream models reject any {@code reasoning_effort}, and most reasoning ones
 * reject {@code none}. Stateless.
 */
final class ThinkingEffort {
  private ThinkingEffort() {}

  /** The effort for {@code body}'s {@code thinking}, or {@code null} when none is to be sent. */
  static String of(JsonNode body) {
    JsonNode thinking = BodyFields.FIELDS.object(body, "thinking", "thinking");
    if (thinking == null) {
      return null;
    }
    String type = BodyFields.FIELDS.requiredString(thinking, "type", "thinking.type");
    return switch (type) {
      case "enabled" -> forBudget(BodyFields.FIELDS.integer(thinking, "budget_tokens", "thinking.budget_tokens"));
      case "adaptive" -> forEffort(body);
      case "disabled" -> null;
      default -> throw new TranslationException("thinking.type",
          "thinking.type: expected enabled, adaptive or disabled, not '" + type + "'");
    };
  }

  static String forBudget(Long budget) {
    return budget == null ? "medium" : ThinkingBudget.effortFor(budget);
  }

  private static String forEffort(JsonNode body) {
    JsonNode config = JsonFields.get(body, "output_config");
    String effort = config != null && config.isObject() ? config.path("effort").asText("") : "";
    return switch (effort) {
      case "low", "medium", "high" -> effort;
      case "max" -> "high";
      default -> null;
    };
  }
}
