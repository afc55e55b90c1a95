package dev.llmproxy.config;

/**
 * One {@code models[]} row: the upstream model id and the id clients use. Immutable.
 *
 * @param name upstream model id, sent in the forwarded body
 * @param alias client-visible id; equal to {@code name} when the YAML gives no alias
 */
public record ModelMapping(String name, String alias) {}
