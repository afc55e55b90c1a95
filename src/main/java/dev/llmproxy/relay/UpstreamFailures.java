package dev.llmproxy.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmproxy.config.ErrorAction;
import dev.llmproxy.config.ErrorRule;
import dev.llmproxy.error.ErrorResponses;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.routing.FailureClassifier;
import dev.llmproxy.routing.FailureKind;
import dev.llmproxy.routing.UpstreamFailure;
import dev.llmproxy.stream.ByteScan;
import dev.llmproxy.stream.SseEvent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong upstream into an {@link UpstreamFailure}: the classification, the status the
 * client would see and an OpenAI-shaped body (the upstream's own when it has that shape; never the
 * text of a Java exception). Stateless.
 */
final class UpstreamFailures {
  private static final JsonFactory JSON = WebappJson.newFactory();
  /** The key of OpenAI's error object; streamed events are checked for it as they are parsed. */
  static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);

  private UpstreamFailures() {}

  /**
   * An upstream error response, with the action of the first of the provider's {@code rules}
   * ({@code request-scoped-errors}) that matches its status and body.
   */
  static UpstreamFailure fromResponse(int status, byte[] body, String retryAfterHeader, Instant now,
      List<ErrorRule> rules) {
    UpstreamFailure failure = fromResponse(status, body, retryAfterHeader, now);
    if (rules.isEmpty()) {
      return failure;
    }
    ErrorAction action = ErrorRule.actionFor(rules, status,
        body == null ? "" : new String(body, StandardCharsets.UTF_8));
    return action == null ? failure : failure.withAction(action);
  }

  static UpstreamFailure fromResponse(int status, byte[] body, String retryAfterHeader, Instant now) {
    FailureKind kind = status >= 300 && status < 400 ? FailureKind.TRANSIENT : FailureClassifier.classify(status, body);
    int clientStatus = status >= 300 && status < 400 ? 502 : status;
    byte[] clientBody = hasErrorObject(body) ? body
        : ErrorResponses.toJson(ErrorResponses.fromUpstreamStatus(clientStatus, "Upstream returned HTTP " + status + "."));
    return new UpstreamFailure(kind, clientStatus, parseRetryAfter(retryAfterHeader, now), clientBody);
  }

  /**
   * An error event that arrived before the first byte, as the response with the status it names
   * ({@link StreamErrorStatus}): a request fault goes back to the client, a refused key or a rate limit
   * moves on as it would for that status, and anything else is a transient failure.
   */
  static UpstreamFailure fromErrorEvent(byte[] eventData, Instant now, List<ErrorRule> rules) {
    return fromResponse(StreamErrorStatus.of(eventData), eventData, null, now, rules);
  }

  static UpstreamFailure fromException(Throwable e) {
    boolean timeout = isTimeout(e);
    OpenAiError error = timeout ? OpenAiError.upstreamTimeout()
        : OpenAiError.upstreamUnavailable(isTls(e) ? "the TLS handshake failed" : "the connection failed");
    return new UpstreamFailure(FailureKind.TRANSIENT, timeout ? 504 : 502, null, ErrorResponses.toJson(error));
  }

  static UpstreamFailure brokenStream(String reason) {
    return new UpstreamFailure(FailureKind.TRANSIENT, 502, null,
        ErrorResponses.toJson(OpenAiError.upstreamUnavailable(reason)));
  }

  static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException || t instanceof TimeoutException
          || (t instanceof InterruptedIOException && t.getClass().getSimpleName().contains("Timeout"))) {
        return true;
      }
    }
    return false;
  }

  /** True for TLS failures (an untrusted certificate, a host name mismatch), which operators must fix. */
  static boolean isTls(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  /** Seconds or an HTTP date; {@code null} when absent or unreadable. */
  static Duration parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds >= 0 ? Duration.ofSeconds(Math.min(seconds, 86_400)) : null;
    } catch (NumberFormatException ignored) {
      // not seconds; try an HTTP date
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (RuntimeException ignored) {
      return null;
    }
  }

  /**
   * {@link #hasErrorObject(byte[])} for a streamed event parsed watching {@link #ERROR_KEY}, without
   * copying events that cannot be one.
   */
  static boolean hasErrorObject(SseEvent event) {
    return event.containsWatched() && hasErrorObject(event.copyData());
  }

  /** True when the JSON has a top-level, non-null {@code error} member (OpenAI's error shape). */
  static boolean hasErrorObject(byte[] body) {
    if (body == null || body.length == 0 || !ByteScan.contains(body, ERROR_KEY)) {
      return false;
    }
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("error".equals(name)) {
          return value == JsonToken.START_OBJECT || value == JsonToken.VALUE_STRING;
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

}
