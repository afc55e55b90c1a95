package dev.llmproxy.usage;

/**
 * The tokens one client used of one model at one provider over a period, as the durable records sum them, and what
 * they were charged: what a fresh gateway starts a client's monthly limits from. Immutable.
 *
 * @param upstreamModel the provider's model that answered, or {@code null} for SQL rows written before records kept it
 * @param costNanoDollars what the records were charged (nano-dollars), or {@code null} for SQL rows written before
 *     records kept it (these are priced as the running config prices them)
 */
public record ModelTokens(String model, String provider, String upstreamModel, long promptTokens,
    long completionTokens, long totalTokens, Long costNanoDollars) {}
