package dev.llmproxy.relay;

import dev.llmproxy.dialect.gemini.GeminiDialect;

/**
 * Reads Gemini's URLs: {@code /v1beta/models/{model}:{method}} (the model may hold slashes, as prefixed ids
 * do) and the model list {@code /v1beta/models[/{model}]}. Stateless.
 */
final class GeminiPaths {
  static final String MODELS = "/v1beta/models";
  private static final String PREFIX = MODELS + "/";

  private GeminiPaths() {}

  /** A {@code POST} URL: the model, the method and how metrics name the endpoint. */
  record Call(String model, GeminiDialect.Method method, String endpointLabel) {}

  /** The call a {@code POST} path names, or {@code null}. */
  static Call call(String path) {
    if (path == null || !path.startsWith(PREFIX)) {
      return null;
    }
    String rest = path.substring(PREFIX.length());
    int colon = rest.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    String model = rest.substring(0, colon);
    String verb = rest.substring(colon + 1);
    GeminiDialect.Method method = switch (verb) {
      case "generateContent" -> GeminiDialect.Method.GENERATE;
      case "streamGenerateContent" -> GeminiDialect.Method.STREAM;
      case "countTokens" -> GeminiDialect.Method.COUNT_TOKENS;
      default -> null;
    };
    return method == null ? null : new Call(model, method, PREFIX + "{model}:" + verb);
  }

  /** Whether a {@code GET} path is the model list or one model of it. */
  static boolean isModels(String path) {
    return MODELS.equals(path) || (path != null && path.startsWith(PREFIX) && path.indexOf(':', PREFIX.length()) < 0);
  }

  /** The model a {@code GET /v1beta/models/{model}} asks for, or {@code null} for the list. */
  static String modelOf(String path) {
    return MODELS.equals(path) ? null : path.substring(PREFIX.length());
  }
}
