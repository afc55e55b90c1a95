package dev.llmproxy.relay;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.config.ModelPrice;
import dev.llmproxy.dialect.ChatUsage;
import dev.llmproxy.limits.ClientLimits;
import dev.llmproxy.metrics.RelayMetrics;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.usage.RequestOutcome;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageRecord;
import dev.llmproxy.usage.UsageRecorder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What one request reports about itself: to metrics as it goes (first byte, open streams) and once at its end,
 * to metrics and to usage (model, provider, status, tokens the upstream reported, duration), and the tokens to the
 * client's limits. All only count and queue; nothing here blocks. Not thread-safe: its exchange calls it under its lock.
 */
final class ExchangeReport {
  private static final byte[] USAGE_KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

  private final RelayMetrics metrics;
  private final UsageRecorder usage;
  private final ClientLimits limits;
  private final ClientIdentity client;
  private final String dialect;
  private final String endpoint;
  private final long startNanos = System.nanoTime();
  private String model = RelayMetrics.NOT_ROUTED;
  /** The provider of the latest attempt, for the usage record. */
  private String provider;
  /** The provider's model of the latest attempt, for the usage record. */
  private String upstreamModel;
  /** What the tokens of the latest attempt's model cost, for the client's limits ({@code null}: not priced). */
  private ModelPrice price;
  /** The tokens the upstream reported for the answer, if it did. */
  private TokenUsage tokens;
  /** The client's request body's size, for an estimate of its prompt tokens. */
  private int requestBytes;
  /** Events of the latest attempt's stream, for an estimate of what a stream cut before its usage produced. */
  private long events;
  /** The status the client was sent (0 before any). */
  private int status;
  /** A stream's head went out and {@link RelayMetrics#streamClosed()} is still owed. */
  private boolean streamOpen;
  private boolean recorded;

  ExchangeReport(RelayMetrics metrics, UsageRecorder usage, ClientLimits limits, ClientIdentity client,
      String dialect, String endpoint) {
    this.metrics = metrics;
    this.usage = usage;
    this.limits = limits;
    this.client = client;
    this.dialect = dialect;
    this.endpoint = endpoint;
  }

  /** The request's model is a configured one: reported under it, not as {@code (not routed)}. */
  void routedAs(String clientModel) {
    model = clientModel;
  }

  /** A new attempt starts: what a failed one reported is not this answer's. */
  void attemptStarted(String providerName, String providerModel, ModelPrice modelPrice) {
    provider = providerName;
    upstreamModel = providerModel;
    price = modelPrice;
    tokens = null;
    events = 0;
  }

  /** The status that went to the client (the last one set is the one it saw). */
  void status(int sent) {
    status = sent;
  }

  /** The answer's first bytes went out; {@code stream} when they open an event stream. */
  void firstByte(boolean stream) {
    metrics.firstByte(dialect, endpoint, model, System.nanoTime() - startNanos);
    if (stream) {
      metrics.streamOpened();
      streamOpen = true;
    }
  }

  /** The client's request had {@code bytes} bytes of body. */
  void requestBytes(int bytes) {
    requestBytes = bytes;
  }

  /** The tokens of a whole JSON answer, as the upstream reported them. */
  void tokensOf(byte[] upstreamBody) {
    tokens = TokenUsage.of(upstreamBody);
  }

  /**
   * Streams report tokens in one of the last events ({@code stream_options.include_usage}). Events are only
   * copied and parsed when {@code usage} is an object: OpenAI sends {@code "usage":null} in every other chunk. Only
   * small events are searched ({@link ChatUsage#CHUNK_MAX_BYTES}), except the Responses API's {@code
   * response.completed}, which carries the whole answer with its usage (once per stream).
   */
  void tokensOf(SseEvent event) {
    events++;
    boolean mayCarryUsage = event.dataLength() <= ChatUsage.CHUNK_MAX_BYTES || "response.completed".equals(event.name());
    if (mayCarryUsage && event.hasObjectMember(USAGE_KEY)) {
      TokenUsage reported = TokenUsage.of(event.copyData());
      if (reported != null) {
        tokens = reported;
      }
    }
  }

  /**
   * What a stream whose usage never came (its client left, it broke, or its provider reports none) is charged to its
   * client's token limits: the upstream produced those tokens and its provider bills them, so charging nothing would
   * be a way round the limits. A prompt token per four bytes of the request's body, a completion token per event
   * (providers stream about one token an event). Recorded in usage as an estimate, so records and limits agree; never
   * in metrics, which keep to what upstreams reported.
   */
  private TokenUsage estimateOfAStreamWithoutUsage() {
    long prompt = requestBytes / 4;
    return new TokenUsage(prompt, events, prompt + events);
  }

  /** What {@code charged} costs, charged to the client's limits and recorded in usage: one number for both. */
  private long costOf(TokenUsage charged) {
    return price == null ? 0 : price.nanoDollars(charged.prompt(), charged.completion());
  }

  /** The request ended: reported once, whatever ended it. */
  void ended(RequestOutcome outcome) {
    if (streamOpen) {
      streamOpen = false;
      metrics.streamClosed();
    }
    if (recorded) {
      return;
    }
    recorded = true;
    int seen = status != 0 ? status : RelayMetrics.CLIENT_CLOSED_REQUEST;
    long nanos = System.nanoTime() - startNanos;
    metrics.requestFinished(dialect, endpoint, model, seen, nanos);
    // The upstream's own count, whatever the outcome: a stream whose client left (or that broke) after its usage
    // event was still produced in full, and its provider bills it.
    TokenUsage charged = tokens;
    boolean estimated = tokens == null && events > 0;
    if (estimated) {
      charged = estimateOfAStreamWithoutUsage();
    } else if (tokens != null) {
      metrics.tokens(model, tokens.prompt(), tokens.completion());
    }
    long cost = 0;
    if (charged != null) {
      cost = costOf(charged);
      limits.charge(client, charged, cost);
    }
    usage.record(UsageRecord.of(Instant.now(), client.toString(), model,
        provider == null ? UsageRecord.NO_PROVIDER : provider,
        upstreamModel == null ? UsageRecord.NO_PROVIDER : upstreamModel, dialect, endpoint, outcome, seen, charged,
        nanos / 1_000_000, cost, estimated));
  }
}
