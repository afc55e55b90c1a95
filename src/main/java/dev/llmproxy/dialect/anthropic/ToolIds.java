package dev.llmproxy.dialect.anthropic;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Tool-call ids between the two wire formats. Anthropic clients reject (and Claude Code then poisons its
 * transcript with) a {@code tool_use.id} outside {@code ^[a-zA-Z0-9_-]+$}, while upstreams mint ids such as
 * {@code functions.Bash:0} and expect to see them again next turn. So an id that is not valid for Anthropic
 * goes to the client as {@value #MARKER} + base64url (no padding) of its UTF-8 bytes, whose alphabet is
 * exactly the allowed set, and comes back decoded when a later request carries it: reversible without any
 * server-side state, so any gateway instance can serve the next turn. Valid ids pass unchanged, except one
 * that happens to start with the marker, which is encoded too so that decoding never mistakes it. Stateless.
 */
public final class ToolIds {
  /** Prefix of an encoded upstream id. */
  public static final String MARKER = "toolu_b64_";

  private ToolIds() {}

  /** The id a client sees for an upstream tool call; a generated {@code toolu_…} id when it has none. */
  public static String toClient(String upstreamId) {
    if (upstreamId == null || upstreamId.isEmpty()) {
      return RandomIds.toolUse();
    }
    if (isValid(upstreamId) && !upstreamId.startsWith(MARKER)) {
      return upstreamId;
    }
    return MARKER + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(upstreamId.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The id to send upstream for one a client sent back: the original of an encoded id, else the id as is
   * (ids minted by Anthropic or by this gateway for clients, and anything that only looks encoded).
   */
  public static String toUpstream(String clientId) {
    if (clientId == null || !clientId.startsWith(MARKER)) {
      return clientId;
    }
    String original;
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(clientId.substring(MARKER.length()));
      original = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return clientId;
    }
    // Only our own encoding decodes: anything else that merely starts with the marker stays as sent.
    return toClient(original).equals(clientId) ? original : clientId;
  }

  /** Whether {@code id} is non-empty and matches {@code ^[a-zA-Z0-9_-]+$}. */
  public static boolean isValid(String id) {
    if (id == null || id.isEmpty()) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!isIdChar(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isIdChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }
}
