package dev.llmproxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.error.WebappJson;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP status an error event names, for an event that arrived before the first byte of a stream
 * (the upstream answered 200 and then reported the failure in the stream, as vLLM and several hosted
 * providers do). The relay then treats the event like a response with that status, so a request fault
 * such as {@code context_length_exceeded} goes straight back to the client instead of failing over and
 * cooling a healthy key. Read from a numeric {@code code} or {@code status} (vLLM: {@code "code":400}),
 * else from the error's {@code type}, {@code code} or {@code status} words (OpenAI, Anthropic and
 * Google names); an event that names nothing known is a 502, a transient upstream failure. Stateless.
 */
final class StreamErrorStatus {
  static final int UNKNOWN = 502;
  private static final ObjectMapper JSON = WebappJson.newMapper();
  private static final Map<String, Integer> BY_WORD = Map.ofEntries(
      Map.entry("invalid_request_error", 400), Map.entry("context_length_exceeded", 400),
      Map.entry("invalid_argument", 400), Map.entry("bad_request", 400), Map.entry("badrequesterror", 400),
      Map.entry("invalid_value", 400), Map.entry("unsupported_value", 400), Map.entry("invalid_prompt", 400),
      Map.entry("string_above_max_length", 400), Map.entry("failed_precondition", 400),
      Map.entry("authentication_error", 401), Map.entry("invalid_api_key", 401),
      Map.entry("unauthenticated", 401),
      Map.entry("insufficient_balance", 402), Map.entry("payment_required", 402),
      Map.entry("permission_error", 403), Map.entry("permission_denied", 403),
      Map.entry("not_found_error", 404), Map.entry("model_not_found", 404), Map.entry("not_found", 404),
      Map.entry("rate_limit_exceeded", 429), Map.entry("rate_limit_error", 429),
      Map.entry("resource_exhausted", 429), Map.entry("insufficient_quota", 429));

  private StreamErrorStatus() {}

  /** The status {@code eventData} (the event's JSON) names, or {@link #UNKNOWN}. */
  static int of(byte[] eventData) {
    JsonNode root;
    try {
      root = JSON.readTree(eventData);
    } catch (IOException e) {
      return UNKNOWN;
    }
    if (root == null || !root.isObject()) {
      return UNKNOWN;
    }
    JsonNode error = root.path("error");
    for (JsonNode node : new JsonNode[] {error, root}) {
      for (String field : new String[] {"code", "status"}) {
        String v = node.path(field).isValueNode() ? node.path(field).asText() : "";
        if (v.matches("[45][0-9][0-9]")) {
          return Integer.parseInt(v);
        }
      }
    }
    for (String field : new String[] {"code", "type", "status"}) {
      Integer status = BY_WORD.get(error.path(field).asText("").toLowerCase(Locale.ROOT));
      if (status != null) {
        return status;
      }
    }
    return UNKNOWN;
  }
}
