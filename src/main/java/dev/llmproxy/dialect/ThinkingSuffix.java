package dev.llmproxy.dialect;

import dev.llmproxy.error.GatewayException;
import dev.llmproxy.error.OpenAiError;
import java.util.Locale;

/**
 * CLIProxyAPI's thinking suffix, {@code name(value)} after a model id ({@code kimi-k2(high)}): the client picks how
 * hard the model thinks in the model name, for tools that let it set nothing else. The value becomes chat
 * completions' {@code reasoning_effort}:
 *
 * <table>
 *   <caption>values</caption>
 *   <tr><th>value</th><th>reasoning_effort</th></tr>
 *   <tr><td>{@code minimal}, {@code low}, {@code medium}, {@code high} (any case)</td><td>the same</td></tr>
 *   <tr><td>{@code none}, or a budget of {@code 0}</td><td>{@code none}</td></tr>
 *   <tr><td>a budget in tokens</td><td>as for Anthropic's {@code budget_tokens} ({@link ThinkingBudget})</td></tr>
 *   <tr><td>{@code auto}</td><td>not sent: the provider decides</td></tr>
 * </table>
 *
 * <p>Unlike Anthropic's {@code thinking}, the client named the effort itself, so {@code minimal} and {@code none}
 * go upstream as asked. Immutable.
 *
 * @param base the model id before the suffix
 * @param value what the parentheses hold
 */
public record ThinkingSuffix(String base, String value) {
  /** The accepted values, as an error names them. */
  static final String ACCEPTED = "minimal, low, medium, high, none, auto or a number of tokens";

  /** The suffix of {@code model}, or {@code null} when it has none (or nothing before it). */
  public static ThinkingSuffix split(String model) {
    int open = model.lastIndexOf('(');
    if (open <= 0 || !model.endsWith(")")) {
      return null;
    }
    return new ThinkingSuffix(model.substring(0, open), model.substring(open + 1, model.length() - 1));
  }

  /**
   * The {@code reasoning_effort} this suffix asks for; {@code null} for {@code auto}.
   *
   * @throws GatewayException 400 naming {@code model} for a value that is none of the accepted ones
   */
  public String effort() {
    String lower = value.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "minimal", "low", "medium", "high", "none":
        return lower;
      case "auto":
        return null;
      default:
        break;
    }
    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // Beyond a long it is far above every threshold anyway.
      long budget = value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
      return budget == 0 ? "none" : ThinkingBudget.effortFor(budget);
    }
    throw new GatewayException(400, OpenAiError.invalidRequest("model", "The thinking suffix '(" + value
        + ")' of model '" + base + "(" + value + ")' is not one of " + ACCEPTED + "."));
  }
}
