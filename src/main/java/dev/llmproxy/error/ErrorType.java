package dev.llmproxy.error;

/** The {@code error.type} strings the gateway emits, spelled as OpenAI spells them. */
public enum ErrorType {
  INVALID_REQUEST("invalid_request_error"),
  AUTHENTICATION("authentication_error"),
  PERMISSION("permission_error"),
  RATE_LIMIT("rate_limit_error"),
  SERVER("server_error"),
  SERVICE_UNAVAILABLE("service_unavailable");

  private final String wireName;

  ErrorType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
