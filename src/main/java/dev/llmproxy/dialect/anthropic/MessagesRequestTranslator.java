package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.TranslationException;

/**
 * Turns a {@code POST /v1/messages} body into a chat-completions body (spec §2). Top-level fields:
 *
 * <ul>
 *   <li>{@code model}, {@code max_tokens} (required by Anthropic, optional here), {@code temperature},
 *       {@code top_p}: kept as they are, if finite.
 *   <li>{@code system} → a first {@code system} message ({@link SystemPrompt}); {@code messages} →
 *       {@link ConversationTranslator}; {@code tools}/{@code tool_choice} → {@link ToolDefinitions};
 *       {@code thinking} → {@code reasoning_effort} ({@link ThinkingEffort}).
 *   <li>{@code stop_sequences} → {@code stop}: empty strings left out, then the <em>first four</em> kept,
 *       since OpenAI rejects more than four and a request that fails helps nobody; the model may then run
 *       past a later sequence, which costs tokens but not the answer.
 *   <li>{@code metadata.user_id} → {@code user}; the {@code metadata} object itself never goes upstream.
 *   <li>{@code stream: true} → {@code stream} and {@code stream_options.include_usage} (without the usage
 *       chunk {@code message_delta} would have no usage).
 *   <li>Dropped: {@code top_k} (no chat field; strict upstreams reject unknown keys), {@code service_tier},
 *       {@code container}, {@code mcp_servers}, {@code context_management}, {@code output_config} and
 *       anything else not named here.
 * </ul>
 *
 * Invalid bodies (not an object, no {@code model}, no or empty {@code messages}, a message with no blocks,
 * wrong types, numbers beyond a double, PDFs, unknown block types, client tools without a schema) throw
 * {@link TranslationException}, a 400. Stateless and thread-safe.
 */
public final class MessagesRequestTranslator {
  /** OpenAI's limit on {@code stop}. */
  static final int MAX_STOP_SEQUENCES = 4;

  private MessagesRequestTranslator() {}

  public static MessagesRequest translate(JsonNode body) {
    JsonNode messages = BodyFields.messages(body);
    String model = BodyFields.FIELDS.requiredString(body, "model", "model");
    if (model.isEmpty()) {
      throw new TranslationException("model", "model: must not be empty");
    }
    boolean stream = BodyFields.FIELDS.bool(body, "stream", "stream");

    ObjectNode chat = JsonNodeFactory.instance.objectNode();
    chat.put("model", model);
    ToolNames.Builder toolNames = new ToolNames.Builder();
    // Tools first: their names claim upstream names before tool_use blocks in the history do.
    ToolDefinitions tools = new ToolDefinitions(toolNames);
    ObjectNode toolFields = JsonNodeFactory.instance.objectNode();
    tools.translate(body, toolFields);

    ArrayNode chatMessages = chat.putArray("messages");
    String system = SystemPrompt.text(body);
    if (!system.isEmpty()) {
      chatMessages.addObject().put("role", "system").put("content", system);
    }
    new ConversationTranslator(toolNames).translate(messages, chatMessages);

    copyScalars(body, chat);
    if (stream) {
      chat.put("stream", true);
      chat.putObject("stream_options").put("include_usage", true);
    }
    chat.setAll(toolFields);
    String effort = ThinkingEffort.of(body);
    if (effort != null) {
      chat.put("reasoning_effort", effort);
    }
    JsonNode metadata = BodyFields.FIELDS.object(body, "metadata", "metadata");
    String user = metadata == null ? null : BodyFields.FIELDS.string(metadata, "user_id", "metadata.user_id");
    if (user != null && !user.isEmpty()) {
      chat.put("user", user);
    }
    MessagesContext context = new MessagesContext(
        RandomIds.message(), model, AnthropicTokenCount.count(body), toolNames.build());
    return new MessagesRequest(chat, model, stream, context, tools.dropped());
  }

  private static void copyScalars(JsonNode body, ObjectNode chat) {
    Long maxTokens = BodyFields.FIELDS.integer(body, "max_tokens", "max_tokens");
    if (maxTokens != null) {
      if (maxTokens < 1) {
        throw new TranslationException("max_tokens", "max_tokens: must be at least 1");
      }
      // An int, as clients send it; a larger value is no limit at all.
      chat.put("max_tokens", (int) Math.min(maxTokens, Integer.MAX_VALUE));
    }
    for (String field : new String[] {"temperature", "top_p"}) {
      JsonNode value = BodyFields.FIELDS.number(body, field, field);
      if (value != null) {
        chat.set(field, value);
      }
    }
    JsonNode stops = BodyFields.FIELDS.array(body, "stop_sequences", "stop_sequences");
    if (stops != null) {
      ArrayNode stop = chat.arrayNode();
      for (int i = 0; i < stops.size(); i++) {
        JsonNode s = stops.get(i);
        if (!s.isTextual()) {
          throw new TranslationException("stop_sequences", "stop_sequences[" + i + "]: expected a string");
        }
        if (!s.textValue().isEmpty() && stop.size() < MAX_STOP_SEQUENCES) {
          stop.add(s);
        }
      }
      if (!stop.isEmpty()) {
        chat.set("stop", stop);
      }
    }
  }
}
