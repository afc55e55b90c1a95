package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.JsonFields;
import dev.llmproxy.dialect.TranslationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a {@code POST /v1/responses} body into a chat-completions body (spec:
 * {@code shared/reference/responses-gemini-translation.md} §1), for providers with
 * {@code responses-api: translate}.
 *
 * <p>The gateway keeps no response state: {@code previous_response_id}, {@code conversation},
 * {@code prompt} (a stored prompt) and {@code background} are refused with a 400 that says to send the
 * whole input, as Codex does with {@code store: false}; {@code store: true} is accepted and nothing is
 * stored. Parameters without a chat counterpart ({@code metadata}, {@code include},
 * {@code prompt_cache_key}, {@code service_tier}, {@code truncation}, {@code text.verbosity},
 * {@code reasoning.summary}) are left out. Stateless and thread-safe.
 */
public final class ResponsesRequestTranslator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Choices for upstreams that need them; {@link #DEFAULT} suits OpenAI-style ones. Immutable.
   *
   * @param developerAsUser send {@code developer} messages as {@code user} ones, for upstreams that
   *     refuse a system message after the first
   * @param reasoningToUpstream send the text of {@code reasoning} items back as the next assistant
   *     message's {@code reasoning_content} (DeepSeek's thinking mode requires it in tool-call turns;
   *     OpenAI refuses the field)
   */
  public record Options(boolean developerAsUser, boolean reasoningToUpstream) {
    public static final Options DEFAULT = new Options(false, false);
  }

  private ResponsesRequestTranslator() {}

  /** {@link #translate(JsonNode, Options, Clock)} with the default options and the system clock. */
  public static ResponsesRequest translate(JsonNode body) {
    return translate(body, Options.DEFAULT, Clock.systemUTC());
  }

  /**
   * The chat-completions request for {@code body}.
   *
   * @param clock gives the response's {@code created_at}
   * @throws TranslationException (a 400) when the body cannot be translated; the message names the field
   */
  public static ResponsesRequest translate(JsonNode body, Options options, Clock clock) {
    if (body == null || !body.isObject()) {
      throw new TranslationException(null, "The request body must be a JSON object.");
    }
    refuseState(body);
    String model = RequestFields.FIELDS.requiredString(body, "model", "model");
    boolean stream = JsonFields.get(body, "stream") != null && body.get("stream").asBoolean(false);
    List<String> notes = new ArrayList<>();

    ObjectNode chat = NODES.objectNode();
    chat.put("model", model);
    chat.set("messages", ResponsesInput.messages(body, options, notes));
    ResponsesTools.Translated tools =
        ResponsesTools.tools(RequestFields.FIELDS.array(body, "tools", "tools"), notes);
    if (!tools.functions().isEmpty()) {
      chat.set("tools", tools.functions());
      JsonNode choice = ResponsesTools.toolChoice(JsonFields.get(body, "tool_choice"), notes);
      if (choice != null) {
        chat.set("tool_choice", choice);
      }
      copy(body, "parallel_tool_calls", chat, "parallel_tool_calls");
    }
    String effort = RequestFields.FIELDS.string(body.path("reasoning"), "effort", "reasoning.effort");
    if (effort != null) {
      chat.put("reasoning_effort", effort);
    }
    copy(body, "max_output_tokens", chat, "max_tokens");
    JsonNode format = responseFormat(JsonFields.get(body.path("text"), "format"));
    if (format != null) {
      chat.set("response_format", format);
    }
    copy(body, "temperature", chat, "temperature");
    copy(body, "top_p", chat, "top_p");
    copy(body, "user", chat, "user");
    if (stream) {
      chat.put("stream", true);
      chat.putObject("stream_options").put("include_usage", true);
    }
    ResponsesContext context = new ResponsesContext(
        "resp_" + randomHex(), clock.instant().getEpochSecond(), model, tools.customNames(), echo(body));
    return new ResponsesRequest(chat, model, stream, context, notes);
  }

  private static void refuseState(JsonNode body) {
    for (String field : new String[] {"previous_response_id", "conversation", "prompt"}) {
      if (JsonFields.get(body, field) != null) {
        throw new TranslationException(field, "'" + field + "' is not supported: this gateway translates the"
            + " Responses API to chat completions and keeps no response state; send the whole conversation"
            + " in 'input' instead.");
      }
    }
    if (body.path("background").asBoolean(false)) {
      throw new TranslationException("background", "'background' is not supported: this gateway keeps no"
          + " response state to poll; send the request without it.");
    }
  }

  /** {@code text.format} as a chat {@code response_format}, or {@code null} for plain text. */
  private static JsonNode responseFormat(JsonNode format) {
    if (format == null) {
      return null;
    }
    String type = RequestFields.FIELDS.requiredString(format, "type", "text.format.type");
    switch (type) {
      case "text" -> {
        return null;
      }
      case "json_object" -> {
        return NODES.objectNode().put("type", "json_object");
      }
      case "json_schema" -> {
        ObjectNode chat = NODES.objectNode().put("type", "json_schema");
        ObjectNode schema = chat.putObject("json_schema");
        String name = RequestFields.FIELDS.string(format, "name", "text.format.name");
        schema.put("name", name == null ? "response" : name);
        copy(format, "description", schema, "description");
        JsonNode definition = JsonFields.get(format, "schema");
        if (definition == null) {
          throw new TranslationException("text.format.schema", "Missing required parameter: 'text.format.schema'.");
        }
        schema.set("schema", definition.deepCopy());
        copy(format, "strict", schema, "strict");
        return chat;
      }
      default -> throw new TranslationException("text.format.type", "Invalid value for 'text.format.type':"
          + " expected 'text', 'json_object' or 'json_schema'.");
    }
  }

  /** The request parameters a Response object repeats, with the defaults OpenAI reports. */
  private static ObjectNode echo(JsonNode body) {
    ObjectNode echo = NODES.objectNode();
    echo.set("instructions", valueOrNull(body, "instructions"));
    echo.set("max_output_tokens", valueOrNull(body, "max_output_tokens"));
    echo.put("parallel_tool_calls", body.path("parallel_tool_calls").asBoolean(true));
    echo.putNull("previous_response_id");
    ObjectNode reasoning = echo.putObject("reasoning");
    reasoning.set("effort", valueOrNull(body.path("reasoning"), "effort"));
    reasoning.set("summary", valueOrNull(body.path("reasoning"), "summary"));
    echo.put("store", body.path("store").asBoolean(true));
    echo.set("temperature", numberOr(body, "temperature", 1.0));
    JsonNode text = JsonFields.get(body, "text");
    ObjectNode echoedText = text != null && text.isObject() ? (ObjectNode) text.deepCopy() : NODES.objectNode();
    if (JsonFields.get(echoedText, "format") == null) {
      echoedText.putObject("format").put("type", "text");
    }
    echo.set("text", echoedText);
    echo.set("tool_choice", JsonFields.get(body, "tool_choice") == null
        ? NODES.textNode("auto") : body.get("tool_choice").deepCopy());
    JsonNode tools = JsonFields.get(body, "tools");
    echo.set("tools", tools == null ? NODES.arrayNode() : tools.deepCopy());
    echo.set("top_p", numberOr(body, "top_p", 1.0));
    echo.put("truncation", "disabled");
    echo.set("user", valueOrNull(body, "user"));
    JsonNode metadata = JsonFields.get(body, "metadata");
    echo.set("metadata", metadata == null ? NODES.objectNode() : metadata.deepCopy());
    return echo;
  }

  private static JsonNode valueOrNull(JsonNode parent, String field) {
    JsonNode value = JsonFields.get(parent, field);
    return value == null ? NODES.nullNode() : value.deepCopy();
  }

  private static JsonNode numberOr(JsonNode parent, String field, double fallback) {
    JsonNode value = JsonFields.get(parent, field);
    return value != null && value.isNumber() ? value : NODES.numberNode(fallback);
  }

  private static void copy(JsonNode from, String field, ObjectNode to, String as) {
    JsonNode value = JsonFields.get(from, field);
    if (value != null) {
      to.set(as, value.deepCopy());
    }
  }

  /** 32 hex digits: unique enough for ids that never leave one conversation's transcript. */
  private static String randomHex() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format("%016x%016x", random.nextLong(), random.nextLong());
  }
}
