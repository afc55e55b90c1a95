package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.JsonFields;
import dev.llmproxy.dialect.JsonTrees;
import dev.llmproxy.dialect.TranslationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Responses request's {@code instructions} and {@code input} items as chat-completions messages.
 *
 * <ul>
 *   <li>{@code instructions} become the first {@code system} message; a string {@code input} one
 *       {@code user} message.
 *   <li>{@code message} items keep their role; {@code developer} becomes {@code system} (or {@code user}
 *       with {@link ResponsesRequestTranslator.Options#developerAsUser}). Text parts are joined into one
 *       string (several upstreams, DeepSeek among them, take no part arrays); a message with an image
 *       keeps parts.
 *   <li>{@code function_call} and {@code custom_tool_call} items join the assistant message right before
 *       them (its text, or earlier calls not yet answered), so text and calls of one turn are one
 *       message.
 *   <li>{@code function_call_output} and {@code custom_tool_call_output} become {@code tool} messages
 *       placed right after the message holding their call, whatever came between: OpenAI-style upstreams
 *       reject anything but tool messages there. Images in an output follow as a user message. An output
 *       whose call is not in the input becomes user text.
 *   <li>{@code reasoning} items are dropped, or, with {@link
 *       ResponsesRequestTranslator.Options#reasoningToUpstream}, sent as {@code reasoning_content} of the
 *       next assistant message (DeepSeek wants it back in tool-call turns).
 *   <li>{@code item_reference} needs stored items: a 400. The items of built-in tools
 *       ({@code web_search_call}...) are dropped with a note; any other type is a 400 naming it, as are
 *       {@code input_file} parts and an input that leaves nothing to send.
 * </ul>
 *
 * Not thread-safe: one per request.
 */
final class ResponsesInput {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /**
   * The input items of OpenAI's built-in tools: calls the client got from OpenAI and sends back as history.
   * They ran on OpenAI's side, so chat upstreams have nothing to match them with; any other unknown type is
   * a mistake, refused rather than dropped.
   */
  private static final Set<String> BUILT_IN_TOOL_ITEMS = Set.of(
      "web_search_call", "file_search_call", "computer_call", "computer_call_output", "image_generation_call",
      "code_interpreter_call", "local_shell_call", "local_shell_call_output", "shell_call", "shell_call_output",
      "apply_patch_call", "apply_patch_call_output", "mcp_list_tools", "mcp_approval_request",
      "mcp_approval_response", "mcp_call", "tool_search_call", "tool_search_output", "compaction");

  /** One chat message and the messages that must follow it directly. */
  private static final class Slot {
    final ObjectNode message;
    final List<ObjectNode> replies = new ArrayList<>();
    final List<ObjectNode> followUps = new ArrayList<>();

    Slot(ObjectNode message) {
      this.message = message;
    }
  }

  private final ResponsesRequestTranslator.Options options;
  private final List<String> notes;
  private final List<Slot> slots = new ArrayList<>();
  private final Map<String, Slot> slotOfCall = new HashMap<>();
  /** The assistant message a call item directly after it joins, or null. */
  private Slot joinable;
  /** Reasoning waiting for the next assistant message, when it goes upstream. */
  private String reasoning;

  private ResponsesInput(ResponsesRequestTranslator.Options options, List<String> notes) {
    this.options = options;
    this.notes = notes;
  }

  static ArrayNode messages(
      JsonNode body, ResponsesRequestTranslator.Options options, List<String> notes) {
    ResponsesInput translation = new ResponsesInput(options, notes);
    String instructions = RequestFields.FIELDS.string(body, "instructions", "instructions");
    if (instructions != null && !instructions.isEmpty()) {
      translation.add(message("system", NODES.textNode(instructions)));
    }
    JsonNode input = JsonFields.get(body, "input");
    if (input == null) {
      throw new TranslationException("input", "Missing required parameter: 'input'.");
    } else if (input.isTextual()) {
      translation.add(message("user", input));
    } else if (input.isArray()) {
      int beforeInput = translation.slots.size();
      for (int i = 0; i < input.size(); i++) {
        String path = "input[" + i + "]";
        translation.item(RequestFields.FIELDS.requireObject(input.get(i), path), path);
      }
      if (translation.slots.size() == beforeInput) {
        // Instructions alone are no conversation: the upstream would answer a question nobody asked.
        throw new TranslationException("input", "Invalid value for 'input': it holds no message, function call or"
            + " function call output, so there is nothing to send (reasoning and built-in tool items are not sent"
            + " to chat-completions providers).");
      }
    } else {
      throw new TranslationException("input", "Invalid type for 'input': expected a string or an array of items.");
    }
    return translation.flatten();
  }

  private void item(JsonNode item, String path) {
    String type = RequestFields.FIELDS.string(item, "type", path + ".type");
    if (type == null) {
      type = "message"; // the SDKs' "easy input message" has a role and no type
    }
    switch (type) {
      case "message" -> message(item, path);
      case "function_call" -> call(
          RequestFields.FIELDS.requiredString(item, "call_id", path + ".call_id"),
          RequestFields.FIELDS.requiredString(item, "name", path + ".name"),
          arguments(RequestFields.FIELDS.string(item, "arguments", path + ".arguments")));
      case "custom_tool_call" -> call(
          RequestFields.FIELDS.requiredString(item, "call_id", path + ".call_id"),
          RequestFields.FIELDS.requiredString(item, "name", path + ".name"),
          JsonTrees.text(NODES.objectNode().put("input",
              RequestFields.FIELDS.requiredString(item, "input", path + ".input"))));
      case "function_call_output", "custom_tool_call_output" -> output(item, path);
      case "reasoning" -> reasoning = options.reasoningToUpstream() ? reasoningText(item, path) : null;
      case "item_reference" -> throw new TranslationException(path,
          "'" + path + "' is an item_reference: this gateway stores no items; send the items themselves.");
      default -> {
        if (!BUILT_IN_TOOL_ITEMS.contains(type)) {
          throw new TranslationException(path + ".type", "Invalid value for '" + path + ".type': '" + type
              + "' is not an input item this gateway understands; expected message, function_call,"
              + " function_call_output, custom_tool_call, custom_tool_call_output, reasoning or the item of a"
              + " built-in tool (which is dropped).");
        }
        notes.add(path + ": the item type '" + type + "' has no chat-completions equivalent; dropped");
      }
    }
  }

  private void message(JsonNode item, String path) {
    String role = RequestFields.FIELDS.requiredString(item, "role", path + ".role");
    JsonNode content = JsonFields.get(item, "content");
    if (content == null) {
      throw new TranslationException(path + ".content", "Missing required parameter: '" + path + ".content'.");
    }
    switch (role) {
      case "user" -> add(message("user", content(content, path + ".content", true, "\n")));
      case "system" -> add(message("system", content(content, path + ".content", false, "\n")));
      case "developer" -> add(message(options.developerAsUser() ? "user" : "system",
          content(content, path + ".content", false, "\n")));
      case "assistant" -> {
        ObjectNode message = message("assistant", content(content, path + ".content", false, ""));
        Slot slot = add(message);
        attachReasoning(message);
        joinable = slot;
      }
      default -> throw new TranslationException(path + ".role", "Invalid value for '" + path
          + ".role': expected 'user', 'assistant', 'system' or 'developer'.");
    }
  }

  private void call(String callId, String name, String arguments) {
    Slot slot = joinable != null && joinable.replies.isEmpty() ? joinable : null;
    if (slot == null) {
      ObjectNode message = NODES.objectNode().put("role", "assistant").putNull("content");
      slot = add(message);
      attachReasoning(message);
    }
    ObjectNode call = slot.message.withArray("tool_calls").addObject().put("id", callId).put("type", "function");
    call.putObject("function").put("name", name).put("arguments", arguments);
    slotOfCall.put(callId, slot);
    joinable = slot;
  }

  private void output(JsonNode item, String path) {
    String callId = RequestFields.FIELDS.requiredString(item, "call_id", path + ".call_id");
    JsonNode output = JsonFields.get(item, "output");
    StringBuilder text = new StringBuilder();
    ArrayNode images = NODES.arrayNode();
    if (output != null && output.isTextual()) {
      text.append(output.textValue());
    } else if (output != null && output.isArray()) {
      for (int j = 0; j < output.size(); j++) {
        String partPath = path + ".output[" + j + "]";
        JsonNode part = RequestFields.FIELDS.requireObject(output.get(j), partPath);
        if ("input_image".equals(part.path("type").asText())) {
          images.add(image(part, partPath));
        } else {
          text.append(text.length() == 0 ? "" : "\n").append(textOf(part, partPath));
        }
      }
    } else if (output != null) {
      throw new TranslationException(path + ".output",
          "Invalid type for '" + path + ".output': expected a string or an array.");
    }
    Slot slot = slotOfCall.get(callId);
    if (slot == null) {
      notes.add(path + ": no call with call_id '" + callId + "' in the input; its output was sent as user text");
      add(message("user", NODES.textNode("Output of tool call " + callId + ":\n" + text)));
      return;
    }
    slot.replies.add(
        NODES.objectNode().put("role", "tool").put("tool_call_id", callId).put("content", text.toString()));
    if (!images.isEmpty()) {
      ArrayNode parts = NODES.arrayNode();
      parts.addObject().put("type", "text").put("text", "Images returned by tool call " + callId + ":");
      parts.addAll(images);
      slot.followUps.add(message("user", parts));
    }
    joinable = null;
  }

  /**
   * The chat content of a message: one string when every part is text (joined with
   * {@code separator}), else an array of text and image parts.
   */
  private static JsonNode content(JsonNode content, String path, boolean media, String separator) {
    if (content.isTextual()) {
      return content;
    }
    if (!content.isArray()) {
      throw new TranslationException(path, "Invalid type for '" + path + "': expected a string or an array.");
    }
    ArrayNode parts = NODES.arrayNode();
    boolean onlyText = true;
    for (int j = 0; j < content.size(); j++) {
      String partPath = path + "[" + j + "]";
      JsonNode part = RequestFields.FIELDS.requireObject(content.get(j), partPath);
      String type = RequestFields.FIELDS.requiredString(part, "type", partPath + ".type");
      if (media && "input_image".equals(type)) {
        parts.add(image(part, partPath));
        onlyText = false;
      } else if (media && "input_audio".equals(type)) {
        parts.addObject().put("type", "input_audio")
            .set("input_audio", RequestFields.FIELDS.requiredObject(part, "input_audio", partPath + ".input_audio"));
        onlyText = false;
      } else {
        parts.addObject().put("type", "text").put("text", textOf(part, partPath));
      }
    }
    if (!onlyText) {
      return parts;
    }
    StringBuilder joined = new StringBuilder();
    for (JsonNode part : parts) {
      joined.append(joined.length() == 0 ? "" : separator).append(part.path("text").textValue());
    }
    return NODES.textNode(joined.toString());
  }

  private static String textOf(JsonNode part, String path) {
    String type = RequestFields.FIELDS.requiredString(part, "type", path + ".type");
    return switch (type) {
      case "input_text", "output_text", "text", "summary_text", "reasoning_text" ->
          RequestFields.FIELDS.requiredString(part, "text", path + ".text");
      case "refusal" -> RequestFields.FIELDS.requiredString(part, "refusal", path + ".refusal");
      case "input_file" -> throw new TranslationException(path,
          "'" + path + "' is an input_file: chat-completions providers take no files through this gateway;"
              + " send the file's text as input_text.");
      default -> throw new TranslationException(path + ".type",
          "Invalid value for '" + path + ".type': '" + type + "' is not supported here.");
    };
  }

  private static ObjectNode image(JsonNode part, String path) {
    String url = RequestFields.FIELDS.string(part, "image_url", path + ".image_url");
    if (url == null) {
      throw new TranslationException(path + ".image_url", "'" + path
          + "' has no image_url: this gateway stores no files, so file_id cannot be used; send the image as a URL.");
    }
    ObjectNode image = NODES.objectNode().put("type", "image_url");
    ObjectNode imageUrl = image.putObject("image_url").put("url", url);
    String detail = RequestFields.FIELDS.string(part, "detail", path + ".detail");
    if (detail != null) {
      imageUrl.put("detail", detail);
    }
    return image;
  }

  private static String arguments(String arguments) {
    return arguments == null || arguments.isBlank() ? "{}" : arguments;
  }

  private static String reasoningText(JsonNode item, String path) {
    JsonNode content = RequestFields.FIELDS.array(item, "content", path + ".content");
    boolean fromContent = content != null && !content.isEmpty();
    JsonNode parts = fromContent ? content : RequestFields.FIELDS.array(item, "summary", path + ".summary");
    String partsPath = path + (fromContent ? ".content" : ".summary");
    StringBuilder text = new StringBuilder();
    for (int j = 0; parts != null && j < parts.size(); j++) {
      String partPath = partsPath + "[" + j + "]";
      String piece = RequestFields.FIELDS.string(
          RequestFields.FIELDS.requireObject(parts.get(j), partPath), "text", partPath + ".text");
      if (piece != null && !piece.isEmpty()) {
        text.append(text.length() == 0 ? "" : "\n").append(piece);
      }
    }
    return text.length() == 0 ? null : text.toString();
  }

  private void attachReasoning(ObjectNode assistant) {
    if (reasoning != null) {
      assistant.put("reasoning_content", reasoning);
      reasoning = null;
    }
  }

  private static ObjectNode message(String role, JsonNode content) {
    ObjectNode message = NODES.objectNode().put("role", role);
    message.set("content", content);
    return message;
  }

  private Slot add(ObjectNode message) {
    Slot slot = new Slot(message);
    slots.add(slot);
    joinable = null;
    return slot;
  }

  private ArrayNode flatten() {
    ArrayNode messages = NODES.arrayNode();
    for (Slot slot : slots) {
      messages.add(slot.message);
      slot.replies.forEach(messages::add);
      slot.followUps.forEach(messages::add);
    }
    return messages;
  }
}
