package dev.llmproxy.routing;

/**
 * What a client may be told about a failed upstream attempt, in no wire format: the upstream's own error
 * fields when it sent an error object (already cleaned of anything that could be a credential), else words
 * the gateway chose. Each client dialect renders it in its own envelope. Immutable.
 *
 * @param message human-readable text for the client
 * @param type the OpenAI-style error type the upstream gave ({@code invalid_request_error}), or {@code null}
 * @param code the upstream's error code ({@code context_length_exceeded}), or {@code null}
 * @param param the request field the upstream blamed, or {@code null}
 */
public record FailureDetail(String message, String type, String code, String param) {

  /** Words of the gateway's own, with a code of its own. */
  public static FailureDetail of(String message, String code) {
    return new FailureDetail(message, null, code, null);
  }
}
