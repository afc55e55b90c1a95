package dev.llmproxy.dialect;

/**
 * The upstream API an {@link UpstreamCall} speaks, and what says its stream is complete: a stream that
 * ends without that is cut short, and the client must learn it was.
 */
public enum UpstreamProtocol {
  /** Chat completions and legacy completions: {@code data: [DONE]}, or a {@code finish_reason} before the end. */
  CHAT,
  /** Embeddings: never streamed. */
  EMBEDDINGS,
  /** The Responses API, forwarded as is: a {@code response.completed} or {@code response.incomplete} event. */
  RESPONSES
}
