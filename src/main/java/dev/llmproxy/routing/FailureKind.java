package dev.llmproxy.routing;

/** What an upstream failure says about the request, the key and the model; decides retry and cooldown. */
public enum FailureKind {
  /** The request itself is wrong (400/413/422 about it): straight back to the client, no retry, no cooldown. */
  REQUEST_FAULT,
  /** The key is refused or out of credit (401/402/403): the key cools down for long, next key. */
  KEY_FAULT,
  /** 429: key+model cools down for Retry-After or an exponential backoff, next key. */
  RATE_LIMIT,
  /** 408, 5xx, connect/TLS failures, timeouts, a stream that broke before its first event: short cooldown. */
  TRANSIENT,
  /** 404 for that model on that key: the model cools down on that key. */
  MODEL_GONE,
  /** The client went away: not the key's fault, nothing to retry. */
  CLIENT_GONE,
  /**
   * The gateway itself is full (no connection of its own pool came free in time): not the upstream's
   * fault, so nothing cools and nothing is retried; the client is told to come back shortly.
   */
  GATEWAY_BUSY
}
