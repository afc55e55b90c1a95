package dev.llmproxy.dialect.gemini;

/**
 * What the answer and stream translators need to know about a Gemini request: carried by the relay from
 * {@link GeminiRequestTranslator} to {@link GeminiResponseTranslator} or {@link GeminiStreamTranslator}.
 * Immutable.
 *
 * @param responseId the {@code responseId} every object of the answer carries, the same on every
 *     upstream attempt
 * @param clientModel the model named in the request's URL; {@code modelVersion} when the upstream names none
 */
public record GeminiContext(String responseId, String clientModel) {

  /** An id for a function call the upstream sent without one, unique within the answer. */
  String callId(int candidate, int call) {
    return "call_" + responseId + "_" + candidate + "_" + call;
  }
}
