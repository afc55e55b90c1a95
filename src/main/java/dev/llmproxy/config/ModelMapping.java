package dev.llmproxy.config;

/**
 * One {@code models[]} row: the upstream model id and the id clients use. Immutable.
 *
 * @param name upstream model id, sent in the forwarded body
 * @param alias client-visible id; equal to {@code name} when the YAML gives no alias
 * @param forceMapping {@code force-mapping}: answers name the model as the client asked for it, not as
 *     the upstream calls it
 * @param maxTokens {@code max-tokens}: the most output tokens a translated request (Anthropic, Responses,
 *     Gemini clients) asks this upstream model for; larger requests are lowered to it (Claude Code asks for
 *     32000-64000, many upstreams refuse that). {@code null}: no cap
 * @param price {@code price}: what its tokens cost, for {@code max-cost-per-month}; {@code null}: not priced
 */
public record ModelMapping(String name, String alias, boolean forceMapping, Integer maxTokens, ModelPrice price) {
  public ModelMapping(String name, String alias) {
    this(name, alias, false, null, null);
  }

  public ModelMapping(String name, String alias, boolean forceMapping) {
    this(name, alias, forceMapping, null, null);
  }

  public ModelMapping(String name, String alias, boolean forceMapping, Integer maxTokens) {
    this(name, alias, forceMapping, maxTokens, null);
  }
}
