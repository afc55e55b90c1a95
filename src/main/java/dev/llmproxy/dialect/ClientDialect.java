package dev.llmproxy.dialect;

import dev.llmproxy.error.ClientError;

/**
 * A client wire format at one endpoint: how its requests are read, how answers reach the client (through
 * the {@link UpstreamCall}s it builds) and how errors are worded. The routing core knows none of this.
 * Implementations are stateless and shared by all requests; per-request state lives in the
 * {@link ClientCall} and per-answer state in the {@link Answer}.
 */
public interface ClientDialect {

  /** A short name for metrics and logs: {@code openai}, {@code anthropic}, {@code responses}, {@code gemini}. */
  String name();

  /**
   * Reads a client request body.
   *
   * @throws dev.llmproxy.error.GatewayException for a request the client must fix (400, 413...)
   * @throws TranslationException for a request that cannot be translated (400)
   */
  ClientCall parse(byte[] body);

  /** The response for an error that happens before anything else was sent to the client. */
  ErrorResponse error(ClientError error);
}
