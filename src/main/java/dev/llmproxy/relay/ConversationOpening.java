package dev.llmproxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.StringJoiner;

/**
 * How a conversation begins, in any client dialect's body: its system prompt, its first user message and, from its
 * second turn on, the first answer. A conversation resends these with every turn, so they name it when its client
 * sends no session id: chat completions and Anthropic ({@code system}, {@code messages}), Responses ({@code
 * instructions}, {@code input}) and Gemini ({@code systemInstruction}, {@code contents}). Immutable.
 */
record ConversationOpening(String system, String firstUser, String firstAnswer) {

  /** What {@code body} opens with; empty texts where it has none. */
  static ConversationOpening of(JsonNode body) {
    Texts found = new Texts();
    found.system = text(body.get("system"));
    messages(body.path("messages"), "role", "content", found);
    if (found.system.isEmpty()) {
      found.system = text(body.get("instructions"));
    }
    JsonNode input = body.path("input");
    if (input.isTextual()) {
      found.user = found.user.isEmpty() ? input.textValue() : found.user;
    } else {
      messages(input, "role", "content", found);
    }
    if (found.system.isEmpty()) {
      found.system = text(body.path("systemInstruction").get("parts"));
    }
    messages(body.path("contents"), "role", "parts", found);
    return new ConversationOpening(found.system, found.user, found.answer);
  }

  /** Whether there is nothing to name a conversation by. */
  boolean isEmpty() {
    return system.isEmpty() && firstUser.isEmpty();
  }

  /** An id for the conversation: a digest of its opening. */
  String id() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {system, firstUser, firstAnswer}) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return "opening:" + HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static final class Texts {
    String system = "";
    String user = "";
    String answer = "";
  }

  /** The first system, user and assistant texts among {@code list}'s items, where none was found before. */
  private static void messages(JsonNode list, String roleField, String contentField, Texts found) {
    for (JsonNode item : list) {
      if (!found.user.isEmpty() && !found.answer.isEmpty()) {
        return;
      }
      String type = item.path("type").asText("message");
      if (!type.equals("message")) {
        continue; // a Responses tool call or its output, a reasoning item
      }
      String text = text(item.get(contentField));
      if (text.isEmpty()) {
        continue;
      }
      switch (item.path(roleField).asText()) {
        case "system", "developer" -> found.system = found.system.isEmpty() ? text : found.system;
        case "user" -> found.user = found.user.isEmpty() ? text : found.user;
        case "assistant", "model" -> found.answer = found.answer.isEmpty() ? text : found.answer;
        default -> { }
      }
    }
  }

  /** A content's text: a string, or the texts of its parts ({@code {"type":"text","text":...}} and the like). */
  private static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    StringJoiner text = new StringJoiner("\n");
    for (JsonNode part : content) {
      JsonNode t = part.get("text");
      if (t != null && t.isTextual()) {
        text.add(t.textValue());
      }
    }
    return text.toString();
  }
}
