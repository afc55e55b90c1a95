package dev.llmproxy.error;

/**
 * The body of every error an OpenAI client sees: {@code {"error":{"message","type","param","code"}}}; the
 * gateway's vocabulary for errors, which other dialects word their own way. Immutable. Named factories
 * cover the cases the gateway produces itself.
 *
 * @param type the category, which decides how other dialects word it
 * @param typeName the {@code type} string OpenAI clients read: the category's, or an upstream's own
 */
public record OpenAiError(String message, ErrorType type, String param, String code, String typeName) {

  public OpenAiError(String message, ErrorType type, String param, String code) {
    this(message, type, param, code, type.wireName());
  }

  public static OpenAiError invalidRequest(String param, String message) {
    return new OpenAiError(message, ErrorType.INVALID_REQUEST, param, null);
  }

  public static OpenAiError invalidJson(String message) {
    return new OpenAiError(message, ErrorType.INVALID_REQUEST, null, "invalid_json");
  }

  public static OpenAiError modelNotFound(String model) {
    return new OpenAiError(
        "The model '" + model + "' does not exist or you do not have access to it.",
        ErrorType.INVALID_REQUEST, "model", "model_not_found");
  }

  public static OpenAiError missingApiKey() {
    return new OpenAiError(
        "Missing API key. Send it as 'Authorization: Bearer <key>'.",
        ErrorType.AUTHENTICATION, null, "missing_api_key");
  }

  public static OpenAiError invalidApiKey() {
    return new OpenAiError("Incorrect API key provided.", ErrorType.AUTHENTICATION, null, "invalid_api_key");
  }

  public static OpenAiError keyDisabled() {
    return new OpenAiError("This API key is disabled.", ErrorType.AUTHENTICATION, null, "invalid_api_key");
  }

  public static OpenAiError keyExpired(java.time.Instant expires) {
    return new OpenAiError("This API key expired at " + expires + ".", ErrorType.AUTHENTICATION, null,
        "invalid_api_key");
  }

  /** A known model that the client's key (or user entry) does not list in its {@code models}. */
  public static OpenAiError modelNotAllowed(String model, String client) {
    return new OpenAiError("The model '" + model + "' is not allowed for " + client + ".", ErrorType.PERMISSION,
        "model", "model_not_allowed");
  }

  /** An {@code rpm} or {@code tpm} limit of the client reached; {@code what} says which, with its value. */
  public static OpenAiError rateLimitExceeded(String client, String what) {
    return new OpenAiError("Rate limit reached for " + client + ": " + what + ". Retry after the time in the "
        + "Retry-After header.", ErrorType.RATE_LIMIT, null, "rate_limit_exceeded");
  }

  /** A monthly limit of the client reached; OpenAI's type and code for an exhausted quota. */
  public static OpenAiError insufficientQuota(String client, String what) {
    return new OpenAiError("Monthly limit reached for " + client + ": " + what + ".", ErrorType.RATE_LIMIT, null,
        "insufficient_quota", "insufficient_quota");
  }

  public static OpenAiError notSignedIn() {
    return new OpenAiError(
        "Sign in first: this gateway accepts users authenticated by its single sign-on.",
        ErrorType.AUTHENTICATION, null, "not_signed_in");
  }

  public static OpenAiError missingRole(String role) {
    return new OpenAiError(
        "Your account is not allowed to use this gateway (it needs the role '" + role + "').",
        ErrorType.PERMISSION, null, "missing_role");
  }

  public static OpenAiError originNotAllowed(String origin) {
    return new OpenAiError(
        "Requests from web pages of " + origin + " are not allowed; add the origin to cors.allowed-origins.",
        ErrorType.PERMISSION, null, "origin_not_allowed");
  }

  public static OpenAiError bodyTooLarge(long limitBytes) {
    return new OpenAiError(
        "Request body exceeds the limit of " + limitBytes + " bytes.",
        ErrorType.INVALID_REQUEST, null, "request_too_large");
  }

  /** A request body in a {@code Content-Encoding} the gateway does not decode. */
  public static OpenAiError unsupportedContentEncoding(String encoding) {
    // A client's header, echoed: short and printable.
    String shown = (encoding.length() > 40 ? encoding.substring(0, 40) + "..." : encoding)
        .replaceAll("[^\\x20-\\x7e]", "?");
    return new OpenAiError("Request bodies are read as sent: Content-Encoding '" + shown + "' is not supported; send "
        + "the body uncompressed.", ErrorType.INVALID_REQUEST, null, "unsupported_content_encoding");
  }

  public static OpenAiError notFound(String path) {
    return new OpenAiError("Unknown request URL: " + path, ErrorType.INVALID_REQUEST, null, "unknown_url");
  }

  public static OpenAiError methodNotAllowed(String method, String path) {
    return new OpenAiError(
        "Method " + method + " is not allowed for " + path, ErrorType.INVALID_REQUEST, null, "method_not_allowed");
  }

  public static OpenAiError upstreamUnavailable(String detail) {
    return new OpenAiError("Upstream provider unavailable: " + detail, ErrorType.SERVER, null, "upstream_unavailable");
  }

  public static OpenAiError upstreamTimeout() {
    return new OpenAiError("Upstream provider timed out.", ErrorType.SERVER, null, "upstream_timeout");
  }

  /** 504: the request outlived {@code upstream.max-duration}, however steadily its upstream was sending. */
  public static OpenAiError maxDurationExceeded(java.time.Duration limit) {
    return new OpenAiError("The request took longer than the gateway allows (" + limit.toSeconds() + " s).",
        ErrorType.SERVER, null, "upstream_timeout");
  }

  /** 408: the client stopped sending its request body for longer than {@code request-body-timeout}. */
  public static OpenAiError requestBodyTimeout(java.time.Duration limit) {
    return new OpenAiError("No part of the request body arrived for " + limit.toSeconds() + " s.",
        ErrorType.INVALID_REQUEST, null, "request_timeout");
  }

  /** 503: the instance holds as many requests as {@code max-open-requests} allows. */
  public static OpenAiError gatewayBusy() {
    return new OpenAiError("The gateway is at its limit of open requests; retry shortly.",
        ErrorType.SERVICE_UNAVAILABLE, null, "gateway_busy");
  }

  /**
   * 503: the gateway's memory for large bodies and answers is taken by other requests. Same code as
   * {@link #gatewayBusy}: for the client it is the same situation (retry after a while), and 413 would tell it to
   * shrink a body that is within the limits.
   */
  public static OpenAiError gatewayMemoryBusy() {
    return new OpenAiError("The gateway is handling too many large requests or answers at once; retry shortly.",
        ErrorType.SERVICE_UNAVAILABLE, null, "gateway_busy");
  }

  public static OpenAiError modelCooldown(String model, long resetSeconds) {
    return new OpenAiError(
        "All credentials for model " + model + " are cooling down; retry in " + resetSeconds + "s.",
        ErrorType.RATE_LIMIT, null, "model_cooldown");
  }

  /**
   * 503 before a valid config was loaded. The message is the same whatever {@code reason} says: the
   * reason names the config file's path and every problem in it, which are for the operator (the log,
   * and {@code /healthz} asked from the gateway's own host), not for whoever can reach the port.
   */
  public static OpenAiError notConfigured(String reason) {
    return new OpenAiError("The gateway is not configured yet; its operator finds the reason in the gateway's log.",
        ErrorType.SERVICE_UNAVAILABLE, null, "not_configured");
  }

  public static OpenAiError internal(String correlationId) {
    return new OpenAiError(
        "Internal gateway error (id " + correlationId + ").", ErrorType.SERVER, null, "internal_error");
  }
}
