package dev.llmproxy.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmproxy.error.WebappJson;
import java.io.IOException;

/**
 * The tokens an upstream reports for one answer: OpenAI's top-level {@code usage} object
 * ({@code prompt_tokens}, {@code completion_tokens}, {@code total_tokens}; the Responses API's
 * {@code input_tokens}/{@code output_tokens} count too). Read with a streaming parser that skips
 * everything else. Immutable.
 */
public record TokenUsage(long prompt, long completion, long total) {
  public static final TokenUsage NONE = new TokenUsage(0, 0, 0);
  private static final JsonFactory JSON = WebappJson.newFactory();

  /** The {@code usage} of a JSON object (a body, or a streamed event's data), or {@code null}. */
  public static TokenUsage of(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
          return counts(p);
        }
        if ("response".equals(name) && value == JsonToken.START_OBJECT) {
          // Responses API events carry the answer, with its usage, one level down.
          TokenUsage inner = usageInside(p);
          if (inner != null) {
            return inner;
          }
          continue;
        }
        p.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  private static TokenUsage usageInside(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
        return counts(p);
      }
      p.skipChildren();
    }
    return null;
  }

  private static TokenUsage counts(JsonParser p) throws IOException {
    long prompt = 0;
    long completion = 0;
    long total = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_NUMBER_INT) {
        switch (name) {
          case "prompt_tokens", "input_tokens" -> prompt = p.getLongValue();
          case "completion_tokens", "output_tokens" -> completion = p.getLongValue();
          case "total_tokens" -> total = p.getLongValue();
          default -> { }
        }
      } else {
        p.skipChildren();
      }
    }
    return new TokenUsage(prompt, completion, total >= 0 ? total : prompt + completion);
  }
}
