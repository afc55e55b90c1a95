package dev.llmproxy.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One client request as billing sees it, made by the relay when the request ends. Immutable.
 *
 * @param time when the request ended
 * @param client who asked, as the logs name it: {@code key sk-a...1234}, {@code user alice}, {@code anonymous}
 * @param model the client-visible model id of a configured model, or {@code (not routed)}
 * @param provider the provider of the last upstream attempt, or {@value #NO_PROVIDER} when none was made
 * @param upstreamModel the provider's model id of the last upstream attempt (one alias may pool several models at one
 *     provider, at different prices), or {@value #NO_PROVIDER} when none was made
 * @param dialect the client's wire format ({@code openai})
 * @param endpoint the client's endpoint ({@code /v1/chat/completions})
 * @param outcome how it ended for the client
 * @param status the HTTP status the client saw (499 when it left first)
 * @param promptTokens tokens the upstream reported; all token counts are 0 when it reported none
 * @param durationMillis from the request's arrival to its end
 * @param costNanoDollars what the request was charged, in nano-dollars (10<sup>-9</sup> USD): its tokens at the
 *     price of the model that answered, the very number its client's cost limit counted (0 when not priced)
 * @param estimated the token counts are the gateway's estimate, not the upstream's report: a stream whose usage never
 *     came, charged a prompt token per four bytes of its request and a completion token per event
 */
public record UsageRecord(Instant time, String client, String model, String provider, String upstreamModel,
    String dialect, String endpoint, RequestOutcome outcome, int status, long promptTokens, long completionTokens,
    long cachedTokens, long reasoningTokens, long totalTokens, long durationMillis, long costNanoDollars,
    boolean estimated) {

  /** The {@code provider} (and {@code upstreamModel}) of a request that never reached one. */
  public static final String NO_PROVIDER = "(none)";

  /** The UTC day the request ended: usage days are UTC days everywhere (records and report periods). */
  public LocalDate day() {
    return LocalDate.ofInstant(time, ZoneOffset.UTC);
  }

  /** A record with the counts of {@code tokens}, or zeros when it is {@code null}. */
  public static UsageRecord of(Instant time, String client, String model, String provider, String upstreamModel,
      String dialect, String endpoint, RequestOutcome outcome, int status, TokenUsage tokens, long durationMillis,
      long costNanoDollars, boolean estimated) {
    return tokens == null
        ? new UsageRecord(time, client, model, provider, upstreamModel, dialect, endpoint, outcome, status, 0, 0, 0, 0,
            0, durationMillis, costNanoDollars, estimated)
        : new UsageRecord(time, client, model, provider, upstreamModel, dialect, endpoint, outcome, status,
            tokens.prompt(), tokens.completion(), tokens.cached(), tokens.reasoning(), tokens.total(), durationMillis,
            costNanoDollars, estimated);
  }
}
