package dev.llmproxy.config;

/**
 * One {@code models[]} row: the upstream model id and the id clients use. Immutable.
 *
 * @param name upstream model id, sent in the forwarded body
 * @param alias client-visible id; equal to {@code name} when the YAML gives no alias
 * @param forceMapping {@code force-mapping}: answers name the model as the client asked for it, not as
 *     the upstream calls it
 */
public record ModelMapping(String name, String alias, boolean forceMapping) {
  public ModelMapping(String name, String alias) {
    this(name, alias, false);
  }
}
