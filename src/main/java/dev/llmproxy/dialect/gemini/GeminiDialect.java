package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.Answer;
import dev.llmproxy.dialect.ClientCall;
import dev.llmproxy.dialect.ClientDialect;
import dev.llmproxy.dialect.ErrorResponse;
import dev.llmproxy.dialect.EventFraming;
import dev.llmproxy.dialect.JsonArrayFraming;
import dev.llmproxy.dialect.JsonRequests;
import dev.llmproxy.dialect.LocalCall;
import dev.llmproxy.dialect.TranslatedAnswer;
import dev.llmproxy.dialect.TranslatedCall;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.stream.SseFrames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gemini's {@code generateContent} family ({@code POST /v1beta/models/{model}:generateContent},
 * {@code :streamGenerateContent} as SSE with {@code alt=sse} or as one JSON array streamed element by element
 * without it, {@code :countTokens} answered locally), served by chat-completions providers through
 * {@link GeminiRequestTranslator} and back. The model and the method come from the URL, so one instance
 * serves one request. Errors use Google's envelope. Immutable.
 */
public final class GeminiDialect implements ClientDialect {
  private static final Logger LOG = LoggerFactory.getLogger(GeminiDialect.class);

  /** What the URL asks for. */
  public enum Method { GENERATE, STREAM, COUNT_TOKENS }

  private final String model;
  private final Method method;
  private final boolean sse;

  /**
   * @param model the model of the URL, without {@code models/}
   * @param sse {@code alt=sse}: a stream of SSE {@code data:} frames rather than a JSON array
   */
  public GeminiDialect(String model, Method method, boolean sse) {
    this.model = model;
    this.method = method;
    this.sse = sse;
  }

  @Override
  public String name() {
    return "gemini";
  }

  @Override
  public ClientCall parse(byte[] body) {
    JsonNode tree = JsonRequests.parseObject(body);
    String id = JsonRequests.model(model);
    if (method == Method.COUNT_TOKENS) {
      return new LocalCall(id, GeminiTokenCount.body(tree));
    }
    GeminiRequest request = GeminiRequestTranslator.translate(tree, id, method == Method.STREAM);
    if (!request.notes().isEmpty()) {
      LOG.debug("left out of a translated Gemini request: {}", request.notes());
    }
    return new TranslatedCall(id, method == Method.STREAM, request.chatBody(), () -> newAnswer(request.context()));
  }

  /** The answer translator of one attempt, framed as SSE ({@code alt=sse}) or as a JSON array. */
  private Answer newAnswer(GeminiContext context) {
    EventFraming framing = sse ? EventFraming.SSE : new JsonArrayFraming();
    byte[] probe = sse ? SseFrames.PROBE : JsonArrayFraming.WHITESPACE;
    byte[] keepAlive = sse ? SseFrames.KEEPALIVE : JsonArrayFraming.WHITESPACE;
    return new TranslatedAnswer(chat -> GeminiResponseTranslator.toResponse(chat, context),
        new GeminiStreamTranslator(context), framing, keepAlive, probe);
  }

  @Override
  public ErrorResponse error(ClientError error) {
    return ErrorResponse.json(error, GeminiErrors.body(error.status(), GeminiErrors.message(error)));
  }
}
