package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.llmproxy.dialect.JsonTrees;
import dev.llmproxy.dialect.TokenCounter;
import dev.llmproxy.dialect.TranslationException;

/**
 * Answers {@code POST /v1beta/models/{model}:countTokens} locally, without an upstream call (spec §4):
 * the {@link TokenCounter} estimate of everything the model would read, from the body's
 * {@code contents} (or its {@code generateContentRequest}, which also brings {@code systemInstruction} and
 * {@code tools}): text parts (thoughts included), function calls (name and arguments), function responses
 * (name and response), code parts, a fixed 258 tokens per image or other media part (what Gemini charges
 * for an image up to 384 pixels a side), and each function declaration's name, description and schema.
 * An estimate: upstream models tokenize differently. Stateless and thread-safe.
 */
public final class GeminiTokenCount {
  /** Tokens counted for one {@code inlineData} or {@code fileData} part. */
  static final int MEDIA_PART_TOKENS = 258;

  private GeminiTokenCount() {}

  /** {@code {"totalTokens": N}} for a {@code countTokens} body. */
  public static byte[] body(JsonNode countTokensBody) {
    return JsonTrees.bytes(GeminiResponseJson.NODES.objectNode().put("totalTokens", count(countTokensBody)));
  }

  /** The estimated input tokens of a {@code countTokens} (or {@code generateContent}) body. */
  public static int count(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new TranslationException(null, "The request body must be a JSON object.");
    }
    JsonNode request = GeminiFields.object(body, "generateContentRequest", "generateContentRequest");
    JsonNode source = request == null ? body : request;
    int tokens = 0;
    JsonNode system = GeminiFields.get(source, "systemInstruction");
    if (system != null) {
      tokens += system.isTextual() ? TokenCounter.count(system.textValue()) : parts(GeminiFields.get(system, "parts"));
    }
    JsonNode contents = GeminiFields.array(source, "contents", "contents");
    for (JsonNode content : contents == null ? MissingNode.getInstance() : contents) {
      tokens += parts(GeminiFields.get(content, "parts"));
    }
    JsonNode tools = GeminiFields.array(source, "tools", "tools");
    for (JsonNode tool : tools == null ? MissingNode.getInstance() : tools) {
      JsonNode declarations = GeminiFields.get(tool, "functionDeclarations");
      for (JsonNode declaration : declarations == null ? MissingNode.getInstance() : declarations) {
        tokens += text(declaration, "name") + text(declaration, "description")
            + json(GeminiFields.get(declaration, "parameters"))
            + json(GeminiFields.get(declaration, "parametersJsonSchema"));
      }
    }
    return tokens;
  }

  private static int parts(JsonNode parts) {
    int tokens = 0;
    for (JsonNode part : parts == null ? MissingNode.getInstance() : parts) {
      tokens += text(part, "text");
      JsonNode call = GeminiFields.get(part, "functionCall");
      if (call != null) {
        tokens += text(call, "name") + json(GeminiFields.get(call, "args"));
      }
      JsonNode response = GeminiFields.get(part, "functionResponse");
      if (response != null) {
        tokens += text(response, "name") + json(GeminiFields.get(response, "response"));
      }
      JsonNode code = GeminiFields.get(part, "executableCode");
      tokens += code == null ? 0 : text(code, "code");
      JsonNode result = GeminiFields.get(part, "codeExecutionResult");
      tokens += result == null ? 0 : text(result, "output");
      if (GeminiFields.get(part, "inlineData") != null || GeminiFields.get(part, "fileData") != null) {
        tokens += MEDIA_PART_TOKENS;
      }
    }
    return tokens;
  }

  private static int text(JsonNode parent, String field) {
    JsonNode value = GeminiFields.get(parent, field);
    return value != null && value.isTextual() ? TokenCounter.count(value.textValue()) : 0;
  }

  private static int json(JsonNode value) {
    return value == null ? 0 : TokenCounter.count(JsonTrees.text(value));
  }
}
