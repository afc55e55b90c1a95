package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.JsonFields;
import dev.llmproxy.dialect.TranslationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * {@code reasoning.summary}) are left out. Every field read, sent or repeated in the Response must have its
 * type (numbers finite, {@code max_output_tokens} whole): a wrong one is a 400 naming it, never dropped or
 * passed on. Stateless and thread-safe.
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
    boolean stream = RequestFields.FIELDS.bool(body, "stream", "stream");
    List<String> notes = new ArrayList<>();

    ObjectNode chat = NODES.objectNode();
    chat.put("model", model);
    chat.set("messages", ResponsesInput.messages(body, options, notes));
    Set<String> customTools = tools(body, chat, notes);
    parameters(body, chat);
    if (stream) {
      chat.put("stream", true);
      chat.putObject("stream_options").put("include_usage", true);
    }
    ResponsesContext context = new ResponsesContext(
        "resp_" + randomHex(), clock.instant().getEpochSecond(), model, customTools, echo(body));
    return new ResponsesRequest(chat, model, stream, context, notes);
  }

  /** Sets {@code tools}, {@code tool_choice} and {@code parallel_tool_calls}; the names of the custom tools. */
  private static Set<String> tools(JsonNode body, ObjectNode chat, List<String> notes) {
    ResponsesTools.Translated tools =
        ResponsesTools.tools(RequestFields.FIELDS.array(body, "tools", "tools"), notes);
    // Read even without tools, where it is not sent: the Response repeats it, so it must be well-formed.
    List<String> choiceNotes = new ArrayList<>();
    JsonNode clientChoice = JsonFields.get(body, "tool_choice");
    JsonNode choice = ResponsesTools.toolChoice(clientChoice, choiceNotes);
    ArrayNode functions = AllowedTools.isAllowedTools(clientChoice)
        ? AllowedTools.keep(clientChoice, tools.functions(), notes) : tools.functions();
    boolean parallelToolCalls = RequestFields.FIELDS.bool(body, "parallel_tool_calls", "parallel_tool_calls", true);
    if (!functions.isEmpty()) {
      chat.set("tools", functions);
      if (choice != null) {
        chat.set("tool_choice", choice);
      }
      notes.addAll(choiceNotes);
      if (JsonFields.get(body, "parallel_tool_calls") != null) {
        chat.put("parallel_tool_calls", parallelToolCalls);
      }
    }
    return tools.customNames();
  }

  /** Sets the sampling and output parameters, each read with its type checked. */
  private static void parameters(JsonNode body, ObjectNode chat) {
    JsonNode reasoning = RequestFields.FIELDS.object(body, "reasoning", "reasoning");
    String effort = reasoning == null ? null : RequestFields.FIELDS.string(reasoning, "effort", "reasoning.effort");
    if (effort != null) {
      chat.put("reasoning_effort", effort);
    }
    Long maxOutputTokens = RequestFields.FIELDS.integer(body, "max_output_tokens", "max_output_tokens");
    if (maxOutputTokens != null) {
      chat.put("max_tokens", maxOutputTokens);
    }
    JsonNode text = RequestFields.FIELDS.object(body, "text", "text");
    JsonNode format = responseFormat(text == null ? null : RequestFields.FIELDS.object(text, "format", "text.format"));
    if (format != null) {
      chat.set("response_format", format);
    }
    copyNumber(body, "temperature", chat, "temperature");
    copyNumber(body, "top_p", chat, "top_p");
    String user = RequestFields.FIELDS.string(body, "user", "user");
    if (user != null) {
      chat.put("user", user);
    }
  }

  private static void refuseState(JsonNode body) {
    for (String field : new String[] {"previous_response_id", "conversation", "prompt"}) {
      if (JsonFields.get(body, field) != null) {
        throw new TranslationException(field, "'" + field + "' is not supported: this gateway translates the"
            + " Responses API to chat completions and keeps no response state; send the whole conversation"
            + " in 'input' instead.");
      }
    }
    if (RequestFields.FIELDS.bool(body, "background", "background")) {
      throw new TranslationException("background", "'background' is not supported: this gateway keeps no"
          + " response state to poll; send the request without it.");
    }
  }

  /** {@code text.format} (an object) as a chat {@code response_format}, or {@code null} for plain text. */
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
        String description = RequestFields.FIELDS.string(format, "description", "text.format.description");
        if (description != null) {
          schema.put("description", description);
        }
        schema.set("schema", RequestFields.FIELDS.requiredObject(format, "schema", "text.format.schema").deepCopy());
        if (JsonFields.get(format, "strict") != null) {
          schema.put("strict", RequestFields.FIELDS.bool(format, "strict", "text.format.strict"));
        }
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
    echo.put("parallel_tool_calls",
        RequestFields.FIELDS.bool(body, "parallel_tool_calls", "parallel_tool_calls", true));
    echo.putNull("previous_response_id");
    ObjectNode reasoning = echo.putObject("reasoning");
    reasoning.set("effort", valueOrNull(body.path("reasoning"), "effort"));
    // Not sent upstream (chat completions have no summaries), but repeated, so checked like what is sent.
    reasoning.put("summary", RequestFields.FIELDS.string(body.path("reasoning"), "summary", "reasoning.summary"));
    echo.put("store", RequestFields.FIELDS.bool(body, "store", "store", true));
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
    JsonNode metadata = RequestFields.FIELDS.object(body, "metadata", "metadata");
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

  private static void copyNumber(JsonNode from, String field, ObjectNode to, String as) {
    JsonNode value = RequestFields.FIELDS.number(from, field, field);
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
