package dev.llmproxy.error;

/**
 * An error with the HTTP status and OpenAI-shaped body the client must receive. Thrown anywhere above
 * the routing layer; turned into a response by {@link ErrorResponses} on both the servlet and the
 * Jersey path.
 */
public final class GatewayException extends RuntimeException {
  private final int status;
  private final OpenAiError error;

  public GatewayException(int status, OpenAiError error) {
    super(error.message(), null, false, false);
    this.status = status;
    this.error = error;
  }

  public int status() {
    return status;
  }

  public OpenAiError error() {
    return error;
  }
}
