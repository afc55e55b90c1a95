package dev.llmproxy.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON bodies in the shapes the OpenAI API uses, for canned upstream responses and for assertions.
 *
 * <p>Stateless apart from an id counter; safe to call from any thread.
 */
public final class OpenAiBodies {

  /** The {@code created} timestamp every body carries, fixed so that responses are reproducible. */
  public static final long CREATED = 1_700_000_000L;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong IDS = new AtomicLong();

  private OpenAiBodies() {}

  /** A non-streamed {@code chat.completion} whose single choice answers with {@code content}. */
  public static String chatCompletion(String model, String content) {
    ObjectNode body = envelope("chat.completion", model);
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    choice.put("finish_reason", "stop");
    body.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", 7).put("total_tokens", 12);
    return write(body);
  }

  /**
   * One {@code chat.completion.chunk}.
   *
   * @param content delta content, or {@code null} for an empty delta
   * @param finishReason {@code null} for every chunk but the last, which usually says {@code stop}
   */
  public static String chatCompletionChunk(String model, String content, String finishReason) {
    ObjectNode body = envelope("chat.completion.chunk", model);
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    if (content != null) {
      delta.put("content", content);
    }
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return write(body);
  }

  /**
   * A {@code chat.completion.chunk} whose delta is {@code deltaJson} as given (reasoning, roles, anything
   * the other factories do not build), with no finish reason.
   */
  public static String deltaChunk(String model, String deltaJson) {
    ObjectNode body = envelope("chat.completion.chunk", model);
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    try {
      choice.set("delta", JSON.readTree(deltaJson));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + deltaJson, e);
    }
    choice.putNull("finish_reason");
    return write(body);
  }

  /**
   * A {@code chat.completion.chunk} carrying one fragment of tool call {@code index}, as OpenAI streams
   * them: the first fragment with {@code id} and {@code name}, later ones with {@code null} for both and
   * only more {@code arguments}.
   */
  public static String toolCallChunk(String model, int index, String id, String name, String arguments) {
    ObjectNode body = envelope("chat.completion.chunk", model);
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    ObjectNode call = choice.putObject("delta").putArray("tool_calls").addObject().put("index", index);
    if (id != null) {
      call.put("id", id).put("type", "function");
    }
    ObjectNode function = call.putObject("function");
    if (name != null) {
      function.put("name", name);
    }
    function.put("arguments", arguments);
    choice.putNull("finish_reason");
    return write(body);
  }

  /**
   * The last chunk of a stream asked with {@code stream_options.include_usage}: no choices, the usage
   * with {@code cached} prompt tokens and {@code reasoning} completion tokens.
   */
  public static String usageChunk(String model, long prompt, long completion, long cached, long reasoning) {
    ObjectNode body = envelope("chat.completion.chunk", model);
    body.putArray("choices");
    ObjectNode usage = body.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
    usage.putObject("prompt_tokens_details").put("cached_tokens", cached);
    usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoning);
    return write(body);
  }

  /** A {@code GET /models} answer listing the given ids. */
  public static String modelList(String... ids) {
    ObjectNode body = JSON.createObjectNode().put("object", "list");
    var data = body.putArray("data");
    for (String id : ids) {
      data.addObject().put("id", id).put("object", "model").put("created", CREATED).put("owned_by", "fake-upstream");
    }
    return write(body);
  }

  /** An OpenAI error body: {@code {"error":{"message","type","param","code"}}}; {@code code} may be null. */
  public static String error(String type, String message, String code) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error").put("message", message).put("type", type).putNull("param");
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return write(body);
  }

  private static ObjectNode envelope(String object, String model) {
    return JSON.createObjectNode()
        .put("id", "chatcmpl-fake-" + IDS.incrementAndGet())
        .put("object", object)
        .put("created", CREATED)
        .put("model", model);
  }

  private static String write(ObjectNode body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
