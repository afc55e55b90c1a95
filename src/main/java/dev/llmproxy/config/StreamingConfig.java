package dev.llmproxy.config;

/**
 * {@code streaming:} settings. Immutable.
 *
 * @param keepaliveSeconds send {@code : keep-alive} after this many silent seconds; 0 disables (default 0)
 * @param bootstrapRetries extra selection rounds for a stream that failed before its first byte (default 0)
 */
public record StreamingConfig(int keepaliveSeconds, int bootstrapRetries) {
  public static final StreamingConfig DEFAULT = new StreamingConfig(0, 0);
}
