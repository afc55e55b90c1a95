package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.TranslationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a Gemini {@code generateContent} / {@code streamGenerateContent} body into a chat-completions body
 * (spec: {@code shared/reference/responses-gemini-translation.md} §3). The model and whether to stream
 * come from the URL ({@code /v1beta/models/{model}:streamGenerateContent}), so they are parameters.
 *
 * <p>{@code generationConfig}: {@code temperature}, {@code topP}, {@code maxOutputTokens},
 * {@code stopSequences}, {@code candidateCount}, {@code presencePenalty}, {@code frequencyPenalty} and
 * {@code seed} map to their chat names; {@code responseMimeType: application/json} becomes
 * {@code response_format} (with {@code responseSchema}/{@code responseJsonSchema} as a JSON schema);
 * {@code thinkingConfig.thinkingBudget} becomes {@code reasoning_effort} (0 → none, up to 1024 → low,
 * up to 8192 → medium, more → high, -1 (dynamic) → left to the upstream), {@code thinkingLevel} its
 * lower-case name. {@code topK}, {@code safetySettings} and {@code labels} have no chat counterpart and
 * are left out; {@code cachedContent} refers to state this gateway does not keep: a 400. Every field
 * read or sent must have its type (numbers finite, token counts whole): a wrong one is a 400 naming it,
 * never dropped or passed on. Stateless and thread-safe.
 */
public final class GeminiRequestTranslator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private GeminiRequestTranslator() {}

  /**
   * The chat-completions request for {@code body}.
   *
   * @param model the model named in the URL (without {@code models/})
   * @param stream whether the URL called {@code streamGenerateContent}
   * @throws TranslationException (a 400) when the body cannot be translated; the message names the field
   */
  public static GeminiRequest translate(JsonNode body, String model, boolean stream) {
    if (body == null || !body.isObject()) {
      throw new TranslationException(null, "The request body must be a JSON object.");
    }
    if (GeminiFields.get(body, "cachedContent") != null) {
      throw new TranslationException("cachedContent", "'cachedContent' is not supported: this gateway translates"
          + " Gemini requests to chat completions and keeps no cached content; send the whole content instead.");
    }
    List<String> notes = new ArrayList<>();
    ObjectNode chat = NODES.objectNode();
    chat.put("model", model);
    chat.set("messages", GeminiContents.messages(body, notes));
    ArrayNode tools = GeminiTools.tools(GeminiFields.array(body, "tools", "tools"), notes);
    if (!tools.isEmpty()) {
      chat.set("tools", tools);
      JsonNode choice = GeminiTools.toolChoice(GeminiFields.object(body, "toolConfig", "toolConfig"), notes);
      if (choice != null) {
        chat.set("tool_choice", choice);
      }
    }
    generationConfig(GeminiFields.object(body, "generationConfig", "generationConfig"), chat);
    if (stream) {
      chat.put("stream", true);
      chat.putObject("stream_options").put("include_usage", true);
    }
    return new GeminiRequest(chat, model, stream, new GeminiContext(randomId(), model), notes);
  }

  private static void generationConfig(JsonNode config, ObjectNode chat) {
    if (config == null) {
      return;
    }
    copyNumber(config, "temperature", chat, "temperature");
    copyNumber(config, "topP", chat, "top_p");
    copyInteger(config, "maxOutputTokens", chat, "max_tokens");
    JsonNode stop = GeminiFields.strings(config, "stopSequences", "generationConfig.stopSequences");
    if (stop != null) {
      chat.set("stop", stop.deepCopy());
    }
    copyInteger(config, "candidateCount", chat, "n");
    copyNumber(config, "presencePenalty", chat, "presence_penalty");
    copyNumber(config, "frequencyPenalty", chat, "frequency_penalty");
    copyInteger(config, "seed", chat, "seed");
    String mime = GeminiFields.string(config, "responseMimeType", "generationConfig.responseMimeType");
    JsonNode jsonSchema = GeminiFields.object(config, "responseJsonSchema", "generationConfig.responseJsonSchema");
    JsonNode schema = GeminiFields.object(config, "responseSchema", "generationConfig.responseSchema");
    if (mime != null && "application/json".equals(mime.toLowerCase(Locale.ROOT))) {
      if (jsonSchema == null && schema == null) {
        chat.putObject("response_format").put("type", "json_object");
      } else {
        ObjectNode format = chat.putObject("response_format").put("type", "json_schema");
        format.putObject("json_schema").put("name", "response")
            .set("schema", jsonSchema != null ? jsonSchema.deepCopy() : GeminiTools.jsonSchema(schema));
      }
    }
    String effort = effort(GeminiFields.object(config, "thinkingConfig", "generationConfig.thinkingConfig"));
    if (effort != null) {
      chat.put("reasoning_effort", effort);
    }
  }

  /** The {@code reasoning_effort} for a {@code thinkingConfig}, or {@code null} to leave it to the upstream. */
  static String effort(JsonNode thinking) {
    if (thinking == null) {
      return null;
    }
    String level = GeminiFields.string(thinking, "thinkingLevel", "generationConfig.thinkingConfig.thinkingLevel");
    if (level != null && !level.isEmpty() && !"THINKING_LEVEL_UNSPECIFIED".equals(level)) {
      return level.toLowerCase(Locale.ROOT);
    }
    Long tokens = GeminiFields.integer(thinking, "thinkingBudget", "generationConfig.thinkingConfig.thinkingBudget");
    if (tokens == null || tokens < 0) {
      return null;
    }
    if (tokens == 0) {
      return "none";
    }
    return tokens <= 1024 ? "low" : tokens <= 8192 ? "medium" : "high";
  }

  private static void copyNumber(JsonNode config, String camel, ObjectNode chat, String as) {
    JsonNode value = GeminiFields.number(config, camel, "generationConfig." + camel);
    if (value != null) {
      chat.set(as, value.deepCopy());
    }
  }

  private static void copyInteger(JsonNode config, String camel, ObjectNode chat, String as) {
    Long value = GeminiFields.integer(config, camel, "generationConfig." + camel);
    if (value != null) {
      chat.put(as, value);
    }
  }

  /** 24 hex digits; Gemini's response ids are opaque strings. */
  private static String randomId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format("%08x%016x", random.nextInt(), random.nextLong());
  }
}
