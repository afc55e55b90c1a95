package dev.llmproxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.JsonRequests;
import dev.llmproxy.error.GatewayException;
import dev.llmproxy.routing.ClientSession;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the session a request belongs to, for {@code routing.session-affinity}, the way CLIProxyAPI does: a session
 * id the client sends (Claude Code, Codex and other clients' headers, Claude Code's {@code metadata.user_id}), else
 * an id in the body ({@code session_id}, {@code prompt_cache_key}, {@code conversation}, {@code metadata.user_id},
 * {@code conversation_id}), else, from its second turn on, the conversation's opening messages. Stateless.
 */
final class ClientSessions {
  /** An explicit id longer than this is no session id (and would bloat the bindings). */
  private static final int MAX_ID_LENGTH = 256;
  /** Claude Code's older {@code metadata.user_id}: {@code user_<hash>_account_<uuid>_session_<uuid>}. */
  private static final Pattern CLAUDE_CODE_USER_ID = Pattern.compile("_session_([a-f0-9-]+)$");

  private ClientSessions() {}

  /**
   * The session of the request with these headers and this body, or {@code null} when nothing names one.
   *
   * @param header the captured client headers (those of {@link ClientSession#HEADERS} among them) by name
   */
  static ClientSession of(Function<String, String> header, byte[] body) {
    for (String name : ClientSession.HEADERS) {
      String id = explicit(header.apply(name));
      if (id != null) {
        return new ClientSession("header:" + id, null);
      }
    }
    JsonNode json;
    try {
      json = JsonRequests.parseObject(body);
    } catch (GatewayException e) {
      return null; // not an object: the dialect said so already, and this request goes nowhere
    }
    return ofBody(json);
  }

  private static ClientSession ofBody(JsonNode json) {
    String claudeCode = claudeCodeSession(json.path("metadata").path("user_id").asText(""));
    if (claudeCode != null) {
      return new ClientSession("claude:" + claudeCode, null);
    }
    for (String field : new String[] {"session_id", "sessionId"}) {
      String id = explicit(json.path(field).asText(null));
      if (id != null) {
        return new ClientSession("session:" + id, null);
      }
    }
    JsonNode conversation = json.path("conversation");
    String conversationId = explicit(conversation.isTextual() ? conversation.textValue()
        : conversation.path("id").asText(null));
    String promptCacheKey = explicit(json.path("prompt_cache_key").asText(null));
    if (promptCacheKey != null) {
      return new ClientSession("cache:" + promptCacheKey, conversationId == null ? null : "conversation:"
          + conversationId);
    }
    if (conversationId != null) {
      return new ClientSession("conversation:" + conversationId, null);
    }
    String user = explicit(json.path("metadata").path("user_id").asText(null));
    if (user != null) {
      return new ClientSession("user:" + user, null);
    }
    String legacyConversation = explicit(json.path("conversation_id").asText(null));
    if (legacyConversation != null) {
      return new ClientSession("conversation:" + legacyConversation, null);
    }
    // A first turn is named by nothing yet: many conversations open alike (an app's system prompt and "Hello"), and
    // binding them by that would pile them all on one key. From its second turn on, the first answer sets it apart.
    ConversationOpening opening = ConversationOpening.of(json);
    return opening.isEmpty() || opening.firstAnswer().isEmpty() ? null : new ClientSession(opening.id(), null);
  }

  /** Claude Code's session in its {@code metadata.user_id}: JSON with {@code session_id}, or the older suffix. */
  private static String claudeCodeSession(String userId) {
    String trimmed = userId.trim();
    if (trimmed.startsWith("{")) {
      try {
        return explicit(JsonRequests.parseObject(trimmed.getBytes(StandardCharsets.UTF_8))
            .path("session_id").asText(null));
      } catch (GatewayException e) {
        return null;
      }
    }
    Matcher m = CLAUDE_CODE_USER_ID.matcher(trimmed);
    return m.find() ? explicit(m.group(1)) : null;
  }

  /** {@code raw} as a session id: trimmed, without control characters, at most {@link #MAX_ID_LENGTH}; else null. */
  private static String explicit(String raw) {
    if (raw == null) {
      return null;
    }
    String id = raw.trim();
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
      return null;
    }
    return id;
  }
}
