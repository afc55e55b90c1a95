package dev.llmproxy.routing;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Decides, in one place, what an upstream status and error body mean (see {@link FailureKind}).
 * Stateless; unit-tested as a table.
 */
public final class FailureClassifier {
  private static final Set<String> REQUEST_FAULT_MARKERS = Set.of(
      "context_length_exceeded", "invalid_value", "unsupported_value", "invalid_prompt",
      "string_above_max_length", "invalid_request_error", "bad_request_error");
  private static final Set<String> MODEL_UNSUPPORTED_MARKERS = Set.of(
      "model not supported", "unsupported model", "model_not_found", "does not exist", "model not found",
      "no such model", "unknown model");

  private FailureClassifier() {}

  public static FailureKind classify(int status, byte[] body) {
    String text = body == null ? "" : new String(body, 0, Math.min(body.length, 8192), StandardCharsets.UTF_8)
        .toLowerCase(Locale.ROOT);
    if (status == 401 || status == 402 || status == 403) {
      return FailureKind.KEY_FAULT;
    }
    if (status == 429) {
      return FailureKind.RATE_LIMIT;
    }
    if (status == 404) {
      return FailureKind.MODEL_GONE;
    }
    if (status == 408 || status >= 500) {
      return FailureKind.TRANSIENT;
    }
    if (status == 400 || status == 422) {
      // A 400 that says "this model does not exist here" is about the route, not the request.
      return containsAny(text, MODEL_UNSUPPORTED_MARKERS) ? FailureKind.MODEL_GONE : FailureKind.REQUEST_FAULT;
    }
    if (status == 409 || status == 413 || status == 415) {
      return FailureKind.REQUEST_FAULT;
    }
    if (status >= 400 && status < 500) {
      return containsAny(text, REQUEST_FAULT_MARKERS) ? FailureKind.REQUEST_FAULT : FailureKind.TRANSIENT;
    }
    return FailureKind.TRANSIENT;
  }

  private static boolean containsAny(String text, Set<String> markers) {
    for (String m : markers) {
      if (text.contains(m)) {
        return true;
      }
    }
    return false;
  }
}
