package dev.llmproxy.testing;

/**
 * The default behaviour of {@link FakeUpstream}: a well-behaved OpenAI-compatible provider.
 *
 * <ul>
 *   <li>{@code POST …/chat/completions} answers a {@code chat.completion} echoing the request's {@code model}; with
 *       {@code "stream": true} it streams three {@code chat.completion.chunk} events (two with content, one with
 *       {@code finish_reason: stop}) and {@code data: [DONE]}. A body without a model gets a 400.
 *   <li>{@code GET …/models} lists {@link #MODELS}.
 *   <li>Anything else gets an OpenAI-shaped 404.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class OpenAiResponder implements FakeUpstream.Responder {

  /** The ids {@code GET /models} returns. */
  public static final String[] MODELS = {"fake-model-1", "fake-model-2"};

  /** The full content of the default answer, streamed or not. */
  public static final String CONTENT = "Hello from the fake upstream";

  @Override
  public UpstreamResponse respond(RecordedRequest request) {
    String path = request.pathWithoutQuery();
    if ("POST".equals(request.method()) && path.endsWith("/chat/completions")) {
      return chatCompletion(request);
    }
    if ("GET".equals(request.method()) && path.endsWith("/models")) {
      return UpstreamResponse.json(OpenAiBodies.modelList(MODELS));
    }
    return UpstreamResponse.error(404, "invalid_request_error", "Unknown path " + request.method() + " " + path);
  }

  private static UpstreamResponse chatCompletion(RecordedRequest request) {
    String model = request.model();
    if (model == null) {
      return UpstreamResponse.error(400, "invalid_request_error", "you must provide a model parameter");
    }
    if (!request.isStream()) {
      return UpstreamResponse.json(OpenAiBodies.chatCompletion(model, CONTENT));
    }
    return UpstreamResponse.sse(
        SseStep.chunk(model, "Hello from"),
        SseStep.chunk(model, " the fake upstream"),
        SseStep.finish(model),
        SseStep.done());
  }
}
