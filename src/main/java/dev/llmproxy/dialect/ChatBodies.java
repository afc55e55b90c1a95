package dev.llmproxy.dialect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.routing.PoolMember;
import java.io.UncheckedIOException;

/**
 * A translated chat-completions body, written out for each attempt with that attempt's upstream model and
 * the member's {@code max-tokens} cap. Attempts of one request run one after another, never at once, so the
 * one tree is changed in place rather than copied per attempt (Claude Code sends bodies of 100 KB and more).
 * Confined to one request.
 */
public final class ChatBodies {
  private static final ObjectMapper JSON = WebappJson.newMapper();
  private final ObjectNode body;
  /** {@code max_tokens} as the client asked for it, or {@code null}. */
  private final Long askedMaxTokens;

  public ChatBodies(ObjectNode body) {
    this(body, askedMaxTokens(body));
  }

  private ChatBodies(ObjectNode body, Long askedMaxTokens) {
    this.body = body;
    this.askedMaxTokens = askedMaxTokens;
  }

  private static Long askedMaxTokens(ObjectNode body) {
    JsonNode asked = body.get("max_tokens");
    return asked != null && asked.canConvertToLong() ? asked.asLong() : null;
  }

  /**
   * These bodies with {@code reasoning_effort} set to {@code effort} (removed for {@code null}). A copy, so this one
   * stays as it was; made once per request, and only for a model with a thinking suffix.
   */
  public synchronized ChatBodies withReasoningEffort(String effort) {
    ObjectNode copy = body.deepCopy();
    if (effort == null) {
      copy.remove("reasoning_effort");
    } else {
      copy.put("reasoning_effort", effort);
    }
    return new ChatBodies(copy, askedMaxTokens);
  }

  /** The body for {@code member}, asking for {@code upstreamModel}. */
  public synchronized byte[] forAttempt(PoolMember member, String upstreamModel) {
    body.put("model", upstreamModel);
    Integer cap = member.maxTokens();
    if (cap != null && (askedMaxTokens == null || askedMaxTokens > cap)) {
      body.put("max_tokens", cap);
    } else if (askedMaxTokens != null) {
      body.put("max_tokens", askedMaxTokens);
    } else {
      body.remove("max_tokens");
    }
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
