package dev.llmproxy.dialect;

/**
 * A model as the gateway lists it to clients, before a dialect gives it its wire shape ({@code /v1/models}
 * for OpenAI and Anthropic clients, {@code /v1beta/models} for Gemini ones). Immutable.
 *
 * @param id the id clients send (an alias, perhaps with a provider prefix)
 * @param created epoch second the gateway learned about it (when the config was loaded)
 * @param ownedBy the name of the provider that serves it first
 */
public record ListedModel(String id, long created, String ownedBy) {}
