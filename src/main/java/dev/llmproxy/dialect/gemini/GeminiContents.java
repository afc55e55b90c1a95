package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.JsonTrees;
import dev.llmproxy.dialect.TranslationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A Gemini request's {@code systemInstruction} and {@code contents} as chat-completions messages.
 *
 * <ul>
 *   <li>{@code systemInstruction} becomes the first {@code system} message; {@code user} and {@code model}
 *       contents become {@code user} and {@code assistant} messages ({@code function}, the role older
 *       clients give function responses, counts as user).
 *   <li>A model turn is one assistant message: its text and a {@code tool_calls} entry per
 *       {@code functionCall} part (the part's {@code id}, or a stable {@code call_<content>_<part>} so the
 *       same history always gives the same ids).
 *   <li>A {@code functionResponse} part becomes a {@code tool} message for the call with its {@code id},
 *       else for the first unanswered call of its name; all of a turn's tool messages come before the
 *       turn's other parts, so they directly follow their calls. A response's {@code output} or
 *       {@code result} string is sent as is, any other response as JSON. A response matching no call is
 *       sent as user text.
 *   <li>{@code inlineData} images become {@code image_url} data URIs, audio {@code input_audio}, text
 *       types plain text; {@code fileData} images their URL. Other media are refused with a 400.
 *   <li>{@code thought} parts are dropped (reasoning upstreams do not take it back as input), as are
 *       parts holding only a {@code thoughtSignature}. A part without data ({@code {}}) is a 400 naming it,
 *       and so are contents that leave no message to send.
 * </ul>
 *
 * Not thread-safe: one per request.
 */
final class GeminiContents {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** The fields of a part that carry its data (its other fields, such as {@code thoughtSignature}, describe it). */
  private static final String[] DATA = {"text", "inlineData", "fileData", "functionCall", "functionResponse",
      "executableCode", "codeExecutionResult"};

  /** A call of the conversation and whether a response answered it. */
  private static final class Call {
    final String id;
    final String name;
    boolean answered;

    Call(String id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  private final List<String> notes;
  private final List<Call> calls = new ArrayList<>();
  private final ArrayNode messages = NODES.arrayNode();

  private GeminiContents(List<String> notes) {
    this.notes = notes;
  }

  static ArrayNode messages(JsonNode body, List<String> notes) {
    GeminiContents translation = new GeminiContents(notes);
    translation.system(GeminiFields.get(body, "systemInstruction"));
    JsonNode contents = GeminiFields.array(body, "contents", "contents");
    if (contents == null || contents.isEmpty()) {
      throw new TranslationException("contents", "'contents' must not be empty.");
    }
    int beforeContents = translation.messages.size();
    for (int i = 0; i < contents.size(); i++) {
      String path = "contents[" + i + "]";
      JsonNode content = GeminiFields.requireObject(contents.get(i), path);
      String role = GeminiFields.string(content, "role", path + ".role");
      JsonNode parts = GeminiFields.array(content, "parts", path + ".parts");
      if (parts == null) {
        throw new TranslationException(path + ".parts", "'" + path + ".parts' is required.");
      }
      if ("model".equals(role)) {
        translation.model(parts, i, path);
      } else if (role == null || "user".equals(role) || "function".equals(role)) {
        translation.user(parts, path);
      } else {
        throw new TranslationException(path + ".role",
            "Invalid value at '" + path + ".role': expected 'user' or 'model'.");
      }
    }
    if (translation.messages.size() == beforeContents) {
      // A system instruction alone is no conversation: the upstream would answer a question nobody asked.
      throw new TranslationException("contents", "'contents' has nothing the gateway can send: every part is a"
          + " thought or has no chat-completions equivalent.");
    }
    return translation.messages;
  }

  private void system(JsonNode instruction) {
    if (instruction == null) {
      return;
    }
    StringBuilder text = new StringBuilder();
    if (instruction.isTextual()) {
      text.append(instruction.textValue());
    } else {
      JsonNode parts = GeminiFields.array(GeminiFields.requireObject(instruction, "systemInstruction"), "parts",
          "systemInstruction.parts");
      for (int j = 0; parts != null && j < parts.size(); j++) {
        String partPath = "systemInstruction.parts[" + j + "]";
        String piece = GeminiFields.string(GeminiFields.requireObject(parts.get(j), partPath), "text",
            partPath + ".text");
        piece = piece == null ? "" : piece;
        text.append(text.length() == 0 || piece.isEmpty() ? "" : "\n").append(piece);
      }
    }
    if (text.length() > 0) {
      messages.addObject().put("role", "system").put("content", text.toString());
    }
  }

  private void model(JsonNode parts, int contentIndex, String path) {
    StringBuilder text = new StringBuilder();
    ArrayNode toolCalls = NODES.arrayNode();
    for (int j = 0; j < parts.size(); j++) {
      String partPath = path + ".parts[" + j + "]";
      JsonNode part = GeminiFields.requireObject(parts.get(j), partPath);
      JsonNode call = GeminiFields.object(part, "functionCall", partPath + ".functionCall");
      if (isSkipped(part, partPath)) {
        continue;
      } else if (call != null) {
        String id = GeminiFields.string(call, "id", partPath + ".functionCall.id");
        id = id == null || id.isEmpty() ? "call_" + contentIndex + "_" + j : id;
        String name = GeminiFields.requiredString(call, "name", partPath + ".functionCall.name");
        JsonNode args = GeminiFields.object(call, "args", partPath + ".functionCall.args");
        ObjectNode toolCall = toolCalls.addObject().put("id", id).put("type", "function");
        toolCall.putObject("function").put("name", name)
            .put("arguments", args == null ? "{}" : JsonTrees.text(args));
        calls.add(new Call(id, name));
      } else if (GeminiFields.get(part, "text") != null) {
        text.append(GeminiFields.string(part, "text", partPath + ".text"));
      } else if (hasAny(part, "inlineData", "fileData", "executableCode", "codeExecutionResult")) {
        notes.add(partPath + ": model parts other than text and function calls have no chat equivalent; dropped");
      } else {
        throw noData(partPath);
      }
    }
    if (text.length() == 0 && toolCalls.isEmpty()) {
      return;
    }
    ObjectNode message = messages.addObject().put("role", "assistant");
    if (text.length() == 0) {
      message.putNull("content");
    } else {
      message.put("content", text.toString());
    }
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
  }

  private void user(JsonNode parts, String path) {
    ArrayNode content = NODES.arrayNode();
    boolean onlyText = true;
    for (int j = 0; j < parts.size(); j++) {
      String partPath = path + ".parts[" + j + "]";
      JsonNode part = GeminiFields.requireObject(parts.get(j), partPath);
      JsonNode response = GeminiFields.object(part, "functionResponse", partPath + ".functionResponse");
      JsonNode inline = GeminiFields.object(part, "inlineData", partPath + ".inlineData");
      JsonNode file = GeminiFields.object(part, "fileData", partPath + ".fileData");
      if (isSkipped(part, partPath)) {
        continue;
      } else if (response != null) {
        toolResponse(response, partPath + ".functionResponse", content);
      } else if (GeminiFields.get(part, "text") != null) {
        content.addObject().put("type", "text").put("text", GeminiFields.string(part, "text", partPath + ".text"));
      } else if (inline != null) {
        onlyText &= inlineData(inline, partPath + ".inlineData", content);
      } else if (file != null) {
        content.add(fileData(file, partPath + ".fileData"));
        onlyText = false;
      } else if (hasAny(part, "functionCall", "executableCode", "codeExecutionResult")) {
        notes.add(partPath + ": user parts other than text, media and function responses have no chat"
            + " equivalent; dropped");
      } else {
        throw noData(partPath);
      }
    }
    if (content.isEmpty()) {
      return;
    }
    ObjectNode message = messages.addObject().put("role", "user");
    if (!onlyText) {
      message.set("content", content);
      return;
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      text.append(text.length() == 0 ? "" : "\n").append(part.get("text").textValue());
    }
    message.put("content", text.toString());
  }

  /** Adds the tool message for {@code response} (before the turn's user message), or user text. */
  private void toolResponse(JsonNode response, String path, ArrayNode userContent) {
    String name = GeminiFields.requiredString(response, "name", path + ".name");
    String id = GeminiFields.string(response, "id", path + ".id");
    JsonNode payload = GeminiFields.get(response, "response");
    String text = payload == null ? "" : responseText(payload);
    Call call = match(id, name);
    if (call == null) {
      notes.add(path + ": no function call named '" + name + "' awaits this response; sent as user text");
      userContent.addObject().put("type", "text").put("text", "Result of function " + name + ": " + text);
      return;
    }
    call.answered = true;
    messages.addObject().put("role", "tool").put("tool_call_id", call.id).put("content", text);
  }

  private Call match(String id, String name) {
    for (Call call : calls) {
      if (!call.answered && id != null && id.equals(call.id)) {
        return call;
      }
    }
    for (Call call : calls) {
      if (!call.answered && call.name.equals(name)) {
        return call;
      }
    }
    return null;
  }

  /** Gemini CLI answers {@code {"output": "..."}}; a lone string like that is the whole result. */
  private static String responseText(JsonNode payload) {
    if (payload.isTextual()) {
      return payload.textValue();
    }
    if (payload.size() == 1) {
      for (String field : new String[] {"output", "result", "content"}) {
        if (payload.path(field).isTextual()) {
          return payload.get(field).textValue();
        }
      }
    }
    return JsonTrees.text(payload);
  }

  /** Adds {@code inline}'s part; whether it was text. */
  private static boolean inlineData(JsonNode inline, String path, ArrayNode content) {
    String mime = GeminiFields.requiredString(inline, "mimeType", path + ".mimeType").toLowerCase(Locale.ROOT);
    String data = GeminiFields.requiredString(inline, "data", path + ".data");
    if (mime.startsWith("image/")) {
      content.addObject().put("type", "image_url").putObject("image_url")
          .put("url", "data:" + mime + ";base64," + data);
      return false;
    }
    if (mime.startsWith("audio/")) {
      String format = mime.substring("audio/".length()).replace("x-", "");
      content.addObject().put("type", "input_audio").putObject("input_audio")
          .put("data", data).put("format", "mpeg".equals(format) ? "mp3" : format);
      return false;
    }
    if (mime.startsWith("text/") || "application/json".equals(mime)) {
      try {
        content.addObject().put("type", "text")
            .put("text", new String(Base64.getMimeDecoder().decode(data), StandardCharsets.UTF_8));
        return true;
      } catch (IllegalArgumentException e) {
        throw new TranslationException(path + ".data", "Invalid value at '" + path + ".data': not base64.");
      }
    }
    throw unsupportedMedia(path, mime);
  }

  private static ObjectNode fileData(JsonNode file, String path) {
    String mime = GeminiFields.string(file, "mimeType", path + ".mimeType");
    String uri = GeminiFields.requiredString(file, "fileUri", path + ".fileUri");
    if (mime != null && !mime.toLowerCase(Locale.ROOT).startsWith("image/")) {
      throw unsupportedMedia(path, mime);
    }
    ObjectNode image = NODES.objectNode().put("type", "image_url");
    image.putObject("image_url").put("url", uri);
    return image;
  }

  private static TranslationException unsupportedMedia(String path, String mime) {
    return new TranslationException(path, "'" + path + "' has the type '" + mime + "', which the chat-completions"
        + " providers behind this gateway do not take; send images, audio or text.");
  }

  /**
   * Whether {@code part} is left out on purpose: a thought (reasoning upstreams do not take it back as
   * input), or a bare {@code thoughtSignature}, which Gemini may return on a part of its own and which
   * only Google can read.
   */
  private static boolean isSkipped(JsonNode part, String path) {
    if (GeminiFields.bool(part, "thought", path + ".thought")) {
      return true;
    }
    return GeminiFields.get(part, "thoughtSignature") != null && !hasAny(part, DATA);
  }

  /** A part with none of the fields that carry data: nothing to send, and no way to tell what was meant. */
  private static TranslationException noData(String path) {
    return new TranslationException(path, "'" + path + "' has no data the gateway can send: expected text,"
        + " inlineData, fileData, functionCall or functionResponse.");
  }

  private static boolean hasAny(JsonNode part, String... fields) {
    for (String field : fields) {
      if (GeminiFields.get(part, field) != null) {
        return true;
      }
    }
    return false;
  }
}
