package dev.llmproxy.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmproxy.error.WebappJson;
import java.io.IOException;

/**
 * The tokens an upstream reports for one answer: OpenAI's top-level {@code usage} object
 * ({@code prompt_tokens}, {@code completion_tokens}, {@code total_tokens}; the Responses API's
 * {@code input_tokens}/{@code output_tokens}, inside its {@code response}, count too), with the cached
 * prompt tokens and the reasoning tokens of their {@code *_tokens_details}. Read with a streaming parser
 * that skips everything else. Immutable.
 *
 * @param cached prompt tokens served from the provider's prompt cache (part of {@code prompt})
 * @param reasoning completion tokens spent on reasoning (part of {@code completion})
 */
public record TokenUsage(long prompt, long completion, long total, long cached, long reasoning) {
  /** The largest count believed: a billion tokens in one request is far beyond any model's context. */
  public static final long MAX_COUNT = 1_000_000_000L;
  private static final JsonFactory JSON = WebappJson.newFactory();

  /** Counts without cached or reasoning details. */
  public TokenUsage(long prompt, long completion, long total) {
    this(prompt, completion, total, 0, 0);
  }

  /** The {@code usage} of a JSON object (a body, or a streamed event's data), or {@code null}. */
  public static TokenUsage of(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      return p.nextToken() == JsonToken.START_OBJECT ? usageIn(p, true) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The usage among the members of the object the parser has entered; at the top level also inside
   * its {@code response} (where Responses API events carry the answer). Leaves the parser after the
   * object when it has none.
   */
  private static TokenUsage usageIn(JsonParser p, boolean topLevel) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.START_OBJECT && "usage".equals(name)) {
        return counts(p);
      }
      if (value == JsonToken.START_OBJECT && topLevel && "response".equals(name)) {
        TokenUsage inner = usageIn(p, false);
        if (inner != null) {
          return inner;
        }
        continue;
      }
      p.skipChildren();
    }
    return null;
  }

  private static TokenUsage counts(JsonParser p) throws IOException {
    long prompt = 0;
    long completion = 0;
    long total = -1;
    long cached = 0;
    long reasoning = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_NUMBER_INT) {
        switch (name) {
          case "prompt_tokens", "input_tokens" -> prompt = count(p);
          case "completion_tokens", "output_tokens" -> completion = count(p);
          case "total_tokens" -> total = count(p);
          default -> { }
        }
      } else if (value == JsonToken.START_OBJECT
          && ("prompt_tokens_details".equals(name) || "input_tokens_details".equals(name))) {
        cached = detail(p, "cached_tokens");
      } else if (value == JsonToken.START_OBJECT
          && ("completion_tokens_details".equals(name) || "output_tokens_details".equals(name))) {
        reasoning = detail(p, "reasoning_tokens");
      } else {
        p.skipChildren();
      }
    }
    return new TokenUsage(prompt, completion, total >= 0 ? total : prompt + completion, cached, reasoning);
  }

  /**
   * The whole number the parser is on, or 0 when it is negative or above {@link #MAX_COUNT}: limits and budgets
   * are charged these counts, and a negative one would refund a budget, a huge one exhaust it.
   */
  private static long count(JsonParser p) throws IOException {
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      return 0;
    }
    long n = p.getLongValue();
    return n >= 0 && n <= MAX_COUNT ? n : 0;
  }

  /** The whole-number member {@code wanted} of the details object the parser has entered, else 0. */
  private static long detail(JsonParser p, String wanted) throws IOException {
    long found = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (p.nextToken() == JsonToken.VALUE_NUMBER_INT && wanted.equals(name)) {
        found = count(p);
      } else {
        p.skipChildren();
      }
    }
    return found;
  }
}
