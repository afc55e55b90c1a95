package dev.llmproxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.config.ApiKeyEntry;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.routing.Attempt;
import dev.llmproxy.routing.FailureDetail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads what an upstream said in an error body, and cleans it before anyone else sees it: upstreams echo
 * the key they were sent ({@code "Incorrect API key provided: sk-..."}), which is the operator's secret.
 * Every key of the provider is blanked out, and so is anything shaped like a key or a bearer token.
 * Understands OpenAI's {@code {"error":{...}}}, Anthropic's and Google's envelopes, a bare
 * {@code {"error":"text"}}, vLLM/FastAPI's top-level {@code message}/{@code detail} and a short plain-text body.
 * Stateless.
 */
final class UpstreamErrorText {
  static final int MAX_MESSAGE_CHARS = 2000;
  private static final ObjectMapper JSON = WebappJson.newMapper();
  private static final String REDACTED = "<redacted>";
  private static final Pattern BEARER = Pattern.compile("(?i)\\bbearer\\s+[^\\s\"',;]+");
  private static final Pattern KEY_LIKE = Pattern.compile(
      "\\b(?:sk|sk-proj|sk-ant|sk-or|gsk|xai|pk|rk|api|key)[-_][A-Za-z0-9._\\-]{6,}|\\bAIza[0-9A-Za-z_\\-]{20,}");
  private static final int MAX_PLAIN_TEXT_BYTES = 1024;
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]{0,63}");

  private UpstreamErrorText() {}

  /** The upstream's error fields, cleaned; {@code null} when the body holds no readable error. */
  static FailureDetail detail(byte[] body, Attempt attempt) {
    if (body == null || body.length == 0) {
      return null;
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException | RuntimeException e) {
      return plainText(body, attempt);
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode error = root.path("error");
    if (error.isTextual()) {
      return new FailureDetail(clean(error.asText(), attempt), null, null, null);
    }
    JsonNode source = error.isObject() ? error : root;
    String message = text(source.path("message"));
    if (message == null) {
      message = text(source.path("detail"));
    }
    if (message == null) {
      return null;
    }
    return new FailureDetail(clean(message, attempt), identifier(source.path("type"), attempt),
        identifier(source.path("code"), attempt), identifier(source.path("param"), attempt));
  }

  /**
   * A short plain-text body ({@code Bad request: max_tokens too large}, as some servers and proxies answer) as the
   * message, whitespace folded; {@code null} for a long one or markup (an HTML error page says nothing a client
   * can use, and may say much about the network in between).
   */
  private static FailureDetail plainText(byte[] body, Attempt attempt) {
    if (body.length > MAX_PLAIN_TEXT_BYTES) {
      return null;
    }
    String text = WHITESPACE.matcher(new String(body, StandardCharsets.UTF_8)).replaceAll(" ").trim();
    if (text.isEmpty() || text.startsWith("<") || text.indexOf('\uFFFD') >= 0) {
      return null;
    }
    return new FailureDetail(clean(text, attempt), null, null, null);
  }

  /**
   * {@code text} without the provider's keys or anything shaped like a key or bearer token, and no longer
   * than {@value #MAX_MESSAGE_CHARS} characters. {@code attempt} may be {@code null}.
   */
  static String clean(String text, Attempt attempt) {
    String out = text;
    if (attempt != null) {
      for (ApiKeyEntry entry : attempt.member().provider().apiKeyEntries()) {
        String key = entry.apiKey();
        if (key != null && key.length() >= 4) {
          out = out.replace(key, REDACTED);
        }
      }
    }
    out = BEARER.matcher(out).replaceAll("Bearer " + REDACTED);
    out = KEY_LIKE.matcher(out).replaceAll(REDACTED);
    return out.length() > MAX_MESSAGE_CHARS ? out.substring(0, MAX_MESSAGE_CHARS) + "..." : out;
  }

  private static String text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
  }

  /**
   * A short word such as {@code invalid_request_error}; numbers and prose are not codes a client can use.
   * One that {@link #clean} would change (a provider key, or a word shaped like a key) is dropped, not
   * passed as {@code <redacted>}: {@code code} and {@code param} may be null in OpenAI's shape and SDKs
   * expect that, while a code a client might compare against must never be a placeholder. This also drops
   * a real code that merely looks like a key ({@code api_key_invalid}); a lost code costs less than a leak.
   */
  private static String identifier(JsonNode node, Attempt attempt) {
    if (!node.isTextual()) {
      return null;
    }
    String v = node.asText();
    return IDENTIFIER.matcher(v).matches() && clean(v, attempt).equals(v) ? v : null;
  }
}
