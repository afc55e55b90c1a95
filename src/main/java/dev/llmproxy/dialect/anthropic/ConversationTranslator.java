package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.JsonFields;
import dev.llmproxy.dialect.JsonTrees;
import dev.llmproxy.dialect.TranslationException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Messages request's {@code messages} as chat-completions messages.
 *
 * <ul>
 *   <li>A user turn's {@code tool_result} blocks become {@code tool} messages placed <em>before</em> the
 *       turn's other content, in block order: OpenAI-style upstreams reject anything but tool messages
 *       between an assistant message with {@code tool_calls} and the last of its results (Claude Code puts
 *       reminder text next to the results). An {@code is_error} result has no upstream field, so its
 *       content is prefixed with {@code Error:}.
 *   <li>Images inside a {@code tool_result} (Claude Code's Read of an image file) cannot stay in its tool
 *       message: OpenAI-compatible upstreams take only text there and answer 400. The tool message keeps
 *       the text (or says that an image follows), and the turn's images go first in the user message after
 *       all of its tool messages, ahead of the turn's own content, so the adjacency rule still holds.
 *   <li>An assistant turn becomes <em>one</em> message holding its text and all its {@code tool_calls}
 *       (two messages would break the same adjacency rule); its {@code input} is sent as a JSON string.
 *   <li>{@code thinking}/{@code redacted_thinking} blocks are dropped: their signatures only mean something
 *       to Anthropic, and reasoning upstreams disagree on whether they accept reasoning in input.
 *   <li>Tool ids this gateway encoded for the client ({@link ToolIds}) are decoded back to the upstream's;
 *       tool names go through the request's {@link ToolNames.Builder}.
 *   <li>A {@code system} role inside {@code messages} (sent by some agents) becomes user content.
 * </ul>
 *
 * Other block types are refused with a 400 naming them. Not thread-safe: one per request.
 */
final class ConversationTranslator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ToolNames.Builder toolNames;

  ConversationTranslator(ToolNames.Builder toolNames) {
    this.toolNames = toolNames;
  }

  /**
   * Appends the translation of {@code messages} (a non-empty array) to {@code out}.
   *
   * @throws TranslationException for a message with an empty block array (except a final assistant one, the
   *     prefill Anthropic allows empty), and when nothing is left to send (only thinking, say): upstreams
   *     reject an empty conversation, and a 400 here names the cause
   */
  void translate(JsonNode messages, ArrayNode out) {
    int before = out.size();
    for (int i = 0; i < messages.size(); i++) {
      String path = "messages[" + i + "]";
      JsonNode message = BodyFields.FIELDS.requireObject(messages.get(i), path);
      String role = BodyFields.FIELDS.requiredString(message, "role", path + ".role");
      JsonNode content = JsonFields.get(message, "content");
      if (content == null || !(content.isTextual() || content.isArray())) {
        throw new TranslationException(path + ".content", path + ".content: expected a string or an array of blocks");
      }
      boolean finalAssistant = "assistant".equals(role) && i == messages.size() - 1;
      if (content.isArray() && content.isEmpty() && !finalAssistant) {
        throw new TranslationException(path + ".content", path + ".content: must not be empty");
      }
      switch (role) {
        case "user", "system" -> user(content, path, out);
        case "assistant" -> assistant(content, path, out);
        default -> throw new TranslationException(path + ".role",
            path + ".role: expected 'user' or 'assistant', not '" + role + "'");
      }
    }
    if (out.size() == before) {
      throw new TranslationException("messages",
          "messages: nothing to send: every message is empty or holds only thinking, which is not sent upstream");
    }
  }

  private void user(JsonNode content, String path, ArrayNode out) {
    if (content.isTextual()) {
      out.addObject().put("role", "user").put("content", content.textValue());
      return;
    }
    ContentParts parts = new ContentParts();
    List<ObjectNode> resultImages = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      String blockPath = path + ".content[" + j + "]";
      JsonNode block = BodyFields.FIELDS.requireObject(content.get(j), blockPath);
      String type = BodyFields.FIELDS.requiredString(block, "type", blockPath + ".type");
      if ("tool_result".equals(type)) {
        out.add(toolMessage(block, blockPath, resultImages));
      } else if (!parts.add(block, type, blockPath) && !isThinking(type)) {
        throw unsupported(blockPath, type, "user");
      }
    }
    parts.prependImages(resultImages);
    if (!parts.isEmpty()) {
      out.addObject().put("role", "user").set("content", parts.content());
    }
  }

  /** The tool message for a {@code tool_result}; its images are moved to {@code images}. */
  private ObjectNode toolMessage(JsonNode block, String path, List<ObjectNode> images) {
    String id = BodyFields.FIELDS.requiredString(block, "tool_use_id", path + ".tool_use_id");
    ContentParts parts = new ContentParts();
    JsonNode content = JsonFields.get(block, "content");
    if (content != null && content.isTextual()) {
      parts.addText(content.textValue());
    } else if (content != null && content.isArray()) {
      for (int k = 0; k < content.size(); k++) {
        String partPath = path + ".content[" + k + "]";
        JsonNode part = BodyFields.FIELDS.requireObject(content.get(k), partPath);
        String type = BodyFields.FIELDS.requiredString(part, "type", partPath + ".type");
        if (!parts.add(part, type, partPath)) {
          throw unsupported(partPath, type, "tool_result");
        }
      }
    } else if (content != null) {
      throw new TranslationException(path + ".content", path + ".content: expected a string or an array of blocks");
    }
    List<ObjectNode> taken = parts.takeImages();
    if (parts.isEmpty() && !taken.isEmpty()) {
      parts.addText(imagesFollow(taken.size()));
    }
    images.addAll(taken);
    if (BodyFields.FIELDS.bool(block, "is_error", path + ".is_error")) {
      parts.prependText("Error:");
    }
    ObjectNode message = NODES.objectNode().put("role", "tool").put("tool_call_id", ToolIds.toUpstream(id));
    message.set("content", parts.content());
    return message;
  }

  private void assistant(JsonNode content, String path, ArrayNode out) {
    if (content.isTextual()) {
      out.addObject().put("role", "assistant").put("content", content.textValue());
      return;
    }
    StringBuilder text = null;
    ArrayNode calls = null;
    for (int j = 0; j < content.size(); j++) {
      String blockPath = path + ".content[" + j + "]";
      JsonNode block = BodyFields.FIELDS.requireObject(content.get(j), blockPath);
      String type = BodyFields.FIELDS.requiredString(block, "type", blockPath + ".type");
      switch (type) {
        case "text" -> {
          String blockText = BodyFields.FIELDS.requiredString(block, "text", blockPath + ".text");
          text = text == null ? new StringBuilder(blockText) : text.append('\n').append(blockText);
        }
        case "tool_use" -> {
          calls = calls == null ? NODES.arrayNode() : calls;
          calls.add(toolCall(block, blockPath));
        }
        default -> {
          if (!isThinking(type)) {
            throw unsupported(blockPath, type, "assistant");
          }
        }
      }
    }
    if (text == null && calls == null) {
      return; // only thinking: nothing an upstream can take
    }
    ObjectNode message = out.addObject().put("role", "assistant");
    if (text == null) {
      message.putNull("content");
    } else {
      message.put("content", text.toString());
    }
    if (calls != null) {
      message.set("tool_calls", calls);
    }
  }

  private ObjectNode toolCall(JsonNode block, String path) {
    String id = BodyFields.FIELDS.requiredString(block, "id", path + ".id");
    String name = BodyFields.FIELDS.requiredString(block, "name", path + ".name");
    JsonNode input = BodyFields.FIELDS.object(block, "input", path + ".input");
    ObjectNode call = NODES.objectNode().put("id", ToolIds.toUpstream(id)).put("type", "function");
    call.putObject("function")
        .put("name", toolNames.upstreamName(name))
        .put("arguments", input == null ? "{}" : JsonTrees.text(input));
    return call;
  }

  /** A tool message's text when its result held only images, which go to the user message after the results. */
  private static String imagesFollow(int count) {
    return count == 1 ? "(the image follows the tool results)" : "(" + count + " images follow the tool results)";
  }

  private static boolean isThinking(String type) {
    return "thinking".equals(type) || "redacted_thinking".equals(type);
  }

  private static TranslationException unsupported(String path, String type, String where) {
    return new TranslationException(path + ".type",
        path + ".type: '" + type + "' blocks are not supported in " + where + " content by this gateway");
  }
}
