package dev.llmproxy.usage;

/**
 * The tokens one client used of one model at one provider over a period, as the durable records sum them: what a
 * fresh gateway starts a client's monthly limits from. Immutable.
 */
public record ModelTokens(String model, String provider, long promptTokens, long completionTokens, long totalTokens) {}
