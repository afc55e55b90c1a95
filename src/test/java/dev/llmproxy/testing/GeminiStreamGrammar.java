package dev.llmproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a Gemini {@code streamGenerateContent} answer (the objects of the SSE {@code data:} events, or the
 * elements of the JSON array) against what Google's SDKs and Gemini CLI rely on, for unit tests of the
 * translator and for ITs:
 *
 * <ul>
 *   <li>every element is a {@code GenerateContentResponse} with {@code candidates}, the same
 *       {@code responseId} and a {@code modelVersion}, except that the last may be an error object
 *       {@code {"error":{"code","message","status"}}};
 *   <li>only the last response has a {@code finishReason} and {@code usageMetadata};
 *   <li>every {@code functionCall} has a name, an object as {@code args} and an id no other call has.
 * </ul>
 *
 * A violation fails with an {@link AssertionError} naming the element. Stateless.
 */
public final class GeminiStreamGrammar {

  /**
   * A valid stream, summed up (candidate 0).
   *
   * @param text the text parts, concatenated
   * @param thoughts the {@code thought: true} parts, concatenated
   * @param functionCalls the {@code functionCall} objects, in order
   * @param finishReason the last response's {@code finishReason}, or {@code null} after an error
   * @param usageMetadata the last response's {@code usageMetadata}, or {@code null}
   * @param error the final error object's {@code error}, or {@code null}
   */
  public record Outcome(String text, String thoughts, List<JsonNode> functionCalls, String finishReason,
      JsonNode usageMetadata, JsonNode error) {}

  private GeminiStreamGrammar() {}

  /** Checks SSE events (unnamed, as the translator emits them). */
  public static Outcome checkEvents(List<SseEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      require(events.get(i).event() == null, "element " + i + ": Gemini's stream has no event names");
    }
    return check(events.stream().map(SseEvent::json).toList());
  }

  /** Checks the elements of a stream, in order. */
  public static Outcome check(List<JsonNode> elements) {
    require(!elements.isEmpty(), "the stream has no elements");
    StringBuilder text = new StringBuilder();
    StringBuilder thoughts = new StringBuilder();
    List<JsonNode> calls = new ArrayList<>();
    Set<String> callIds = new HashSet<>();
    String responseId = null;
    for (int i = 0; i < elements.size(); i++) {
      JsonNode element = elements.get(i);
      boolean last = i == elements.size() - 1;
      String where = "element " + i + ": ";
      if (element.has("error")) {
        require(last, where + "an error object that is not the last element");
        JsonNode error = element.get("error");
        require(error.path("code").isInt() && error.path("message").isTextual() && error.path("status").isTextual(),
            where + "an error needs code, message and status: " + error);
        return new Outcome(text.toString(), thoughts.toString(), calls, null, null, error);
      }
      require(element.path("candidates").isArray(), where + "no candidates");
      require(element.path("modelVersion").isTextual(), where + "no modelVersion");
      String id = element.path("responseId").asText("");
      require(responseId == null || responseId.equals(id), where + "responseId changed to " + id);
      responseId = id;
      require(last || !element.has("usageMetadata"), where + "usageMetadata before the last response");
      for (JsonNode candidate : element.get("candidates")) {
        require(last || !candidate.has("finishReason"), where + "a finishReason before the last response");
        require(!last || candidate.path("finishReason").isTextual(), where + "the last response has no finishReason");
        for (JsonNode part : candidate.path("content").path("parts")) {
          if (part.has("functionCall")) {
            JsonNode call = part.get("functionCall");
            require(!call.path("name").asText("").isEmpty(), where + "a functionCall without a name");
            require(call.path("args").isObject(), where + "functionCall args must be an object: " + call);
            require(!call.has("id") || callIds.add(call.get("id").asText()), where + "a repeated call id " + call);
            if (candidate.path("index").asInt(0) == 0) {
              calls.add(call);
            }
          } else if (candidate.path("index").asInt(0) == 0) {
            (part.path("thought").asBoolean(false) ? thoughts : text).append(part.path("text").asText(""));
          }
        }
      }
    }
    JsonNode last = elements.get(elements.size() - 1);
    return new Outcome(text.toString(), thoughts.toString(), calls,
        last.path("candidates").path(0).path("finishReason").asText(null), last.get("usageMetadata"), null);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
