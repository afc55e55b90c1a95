package dev.llmproxy.config;

/**
 * What a {@code request-scoped-errors} rule does with an upstream error it matches (CLIProxyAPI's
 * actions): end the request with it or try the next candidate, each with or without cooling the
 * key and model down. A cooldown a rule asks for applies even where cooling is disabled.
 */
public enum ErrorAction {
  /** Back to the client at once; nothing cools. */
  STOP(true, false),
  /** Back to the client at once, and the key and model cool down. */
  STOP_AND_COOLDOWN(true, true),
  /** Try the next candidate, even for an error that would be the request's fault; nothing cools. */
  CONTINUE(false, false),
  /** Try the next candidate, and the key and model cool down. */
  CONTINUE_AND_COOLDOWN(false, true);

  private final boolean stops;
  private final boolean cools;

  ErrorAction(boolean stops, boolean cools) {
    this.stops = stops;
    this.cools = cools;
  }

  public boolean stops() {
    return stops;
  }

  public boolean cools() {
    return cools;
  }
}
