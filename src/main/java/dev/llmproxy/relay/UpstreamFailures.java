package dev.llmproxy.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmproxy.config.ErrorAction;
import dev.llmproxy.config.ErrorRule;
import dev.llmproxy.config.OutboundProxy;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.routing.Attempt;
import dev.llmproxy.routing.FailureClassifier;
import dev.llmproxy.routing.FailureDetail;
import dev.llmproxy.routing.FailureKind;
import dev.llmproxy.routing.UpstreamFailure;
import dev.llmproxy.stream.ByteScan;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.upstream.GatewayStoppingException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.util.DeadlineTimeoutException;
import org.apache.hc.core5.reactor.IOReactorShutdownException;

/**
 * Turns what went wrong upstream into an {@link UpstreamFailure}: the classification, the status the client
 * gets, what the client may read (the upstream's own error fields when it sent them, cleaned by
 * {@link UpstreamErrorText}; never the text of a Java exception) and what operators read in the log.
 * An upstream that refuses the gateway's credentials is an upstream problem for the client (502 naming the
 * provider), never a 401 that would read as the client's own key being wrong. Stateless.
 */
final class UpstreamFailures {
  private static final JsonFactory JSON = WebappJson.newFactory();
  /** The key of OpenAI's error object; streamed events are checked for it as they are parsed. */
  static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);
  /** How long a client is asked to wait when the gateway's own connection pool is full. */
  static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(2);
  /** How the log names a wait for a connection of the gateway's own full pool, among the {@code gateway_busy} kinds. */
  private static final String POOL_FULL = "no pooled connection came free in time";

  private UpstreamFailures() {}

  /**
   * An upstream error response, with the action of the first of the provider's {@code rules}
   * ({@code request-scoped-errors}) that matches its status and body.
   */
  static UpstreamFailure fromResponse(Attempt attempt, int status, byte[] body, String retryAfterHeader,
      Instant now, List<ErrorRule> rules) {
    UpstreamFailure failure = fromResponse(attempt, status, body, parseRetryAfter(retryAfterHeader, now));
    if (rules.isEmpty()) {
      return failure;
    }
    ErrorAction action = ErrorRule.actionFor(rules, status, body == null ? "" : new String(body, StandardCharsets.UTF_8));
    return action == null ? failure : failure.withAction(action);
  }

  private static UpstreamFailure fromResponse(Attempt attempt, int status, byte[] body, Duration retryAfter) {
    String provider = attempt.member().provider().name();
    FailureDetail upstream = UpstreamErrorText.detail(body, attempt);
    String said = upstream == null ? "HTTP " + status : "HTTP " + status + ": " + upstream.message();
    if (status >= 300 && status < 400) {
      return new UpstreamFailure(FailureKind.TRANSIENT, 502, status, null, FailureDetail.of("Upstream provider '"
          + provider + "' answered with a redirect, which the gateway does not follow.", "upstream_unavailable"),
          null, said);
    }
    FailureKind kind = FailureClassifier.classify(status, body);
    if (kind == FailureKind.KEY_FAULT) {
      String what = status == 402 ? "reports a billing problem with the gateway's account"
          : "refused the gateway's credentials";
      return new UpstreamFailure(kind, 502, status, null, FailureDetail.of("Upstream provider '" + provider + "' "
          + what + " (HTTP " + status + ").", "upstream_auth_failed"), null, said);
    }
    FailureDetail detail = upstream != null ? upstream
        : new FailureDetail("Upstream provider '" + provider + "' returned HTTP " + status + ".", null, null, null);
    return new UpstreamFailure(kind, status, status, retryAfter, detail, null, said);
  }

  /**
   * An error event that arrived in a stream, as the response with the status it names
   * ({@link StreamErrorStatus}): a request fault goes back to the client, a refused key or a rate limit
   * moves on as it would for that status, and anything else is a transient failure.
   */
  static UpstreamFailure fromErrorEvent(Attempt attempt, byte[] eventData, Instant now, List<ErrorRule> rules) {
    return fromResponse(attempt, StreamErrorStatus.of(eventData), eventData, null, now, rules);
  }

  static UpstreamFailure fromException(Attempt attempt, Throwable e) {
    String provider = attempt.member().provider().name();
    String cause = describe(e);
    if (isPoolTimeout(e)) {
      return new UpstreamFailure(FailureKind.GATEWAY_BUSY, 503, 0, BUSY_RETRY_AFTER, FailureDetail.of(
          "The gateway is at its limit of connections to upstream provider '" + provider
              + "'; retry shortly.", "gateway_busy"), null, POOL_FULL + " (" + cause + ")");
    }
    if (e instanceof GatewayStoppingException) {
      return new UpstreamFailure(FailureKind.GATEWAY_BUSY, 503, 0, BUSY_RETRY_AFTER, FailureDetail.of(
          "The gateway is shutting down; retry shortly.", "gateway_shutting_down"), null, "the gateway is stopping");
    }
    if (e instanceof IOReactorShutdownException) {
      // The gateway's own client died under the exchange (UpstreamClients replaces it): no fault of the key's, and
      // whether the upstream had the request is unknown, so it is not sent again; the client may retry at once.
      return new UpstreamFailure(FailureKind.GATEWAY_BUSY, 503, 0, BUSY_RETRY_AFTER, FailureDetail.of(
          "The gateway lost its connection to upstream provider '" + provider + "'; retry shortly.", "gateway_busy"),
          null, "the upstream client's I/O reactor shut down (" + cause + ")");
    }
    if (isTimeout(e)) {
      return new UpstreamFailure(FailureKind.TRANSIENT, 504, 0, null, FailureDetail.of(
          "Upstream provider '" + provider + "' timed out.", "upstream_timeout"), null, cause);
    }
    // Through an HTTP proxy every connection the gateway opens is to the proxy (it resolves and connects upstream
    // itself), so a refused or unresolvable connection is the proxy's: say so, or operators look at the provider.
    OutboundProxy proxy = attempt.credential().proxy();
    boolean viaHttpProxy = proxy != null && proxy.kind() == OutboundProxy.Kind.HTTP;
    String whose = viaHttpProxy ? "its outbound proxy's" : "its";
    String why = isTls(e) ? "the TLS handshake failed" : isBlocked(e) ? "its address is blocked by the gateway"
        : e instanceof UnknownHostException || hasCause(e, UnknownHostException.class)
            ? whose + " host name could not be resolved"
        : hasCause(e, ConnectException.class) || hasCause(e, NoRouteToHostException.class)
            ? (viaHttpProxy ? "its outbound proxy refused the connection" : "the connection was refused")
        : "the connection failed";
    return new UpstreamFailure(FailureKind.TRANSIENT, 502, 0, null, FailureDetail.of(
        "Upstream provider '" + provider + "' is unreachable: " + why + ".", "upstream_unavailable"), null,
        viaHttpProxy ? cause + " (via " + proxy + ")" : cause);
  }

  /**
   * Whether {@code failure} was the gateway's own pool toward the provider being full, of the {@code gateway_busy}
   * failures (the others: a full large-buffer budget, a client whose reactor died, the gateway stopping), which
   * {@code upstream-status} and its log line must not blame on the pool.
   */
  static boolean poolWasFull(UpstreamFailure failure) {
    return failure.logDetail() != null && failure.logDetail().startsWith(POOL_FULL);
  }

  /**
   * No event came within {@code upstream.first-event-timeout} (comments, if any, do not count): a timeout like the
   * read timeout's, so it fails over while nothing reached the client and is a 504 otherwise.
   */
  static UpstreamFailure firstEventOverdue(Attempt attempt, Duration timeout) {
    return fromException(attempt, new SocketTimeoutException("no event within upstream.first-event-timeout ("
        + timeout.toSeconds() + " s)"));
  }

  /**
   * The upstream connection failed after the answer had begun (its head came): not "unreachable", but an answer
   * broken off. A timeout stays a timeout.
   */
  static UpstreamFailure brokenOff(Attempt attempt, Throwable e) {
    if (isTimeout(e) || isPoolTimeout(e) || e instanceof IOReactorShutdownException) {
      return fromException(attempt, e);
    }
    return new UpstreamFailure(FailureKind.TRANSIENT, 502, 0, null, FailureDetail.of(
        "Upstream provider '" + attempt.member().provider().name() + "' failed: the connection broke before the "
            + "answer was complete.", "upstream_unavailable"), null, describe(e));
  }

  /** An event the gateway could not read or translate ({@code e} says why, in the log only). */
  static UpstreamFailure unreadableEvent(Attempt attempt, RuntimeException e) {
    return new UpstreamFailure(FailureKind.TRANSIENT, 502, 0, null, FailureDetail.of(
        "Upstream provider '" + attempt.member().provider().name() + "' failed: it sent an event that could not be "
            + "read.", "upstream_unavailable"), null, describe(e));
  }

  static UpstreamFailure brokenStream(Attempt attempt, String reason) {
    return broken(attempt, reason, reason);
  }

  static UpstreamFailure brokenAnswer(Attempt attempt, String reason) {
    return broken(attempt, reason, reason);
  }

  /** As {@link #brokenAnswer(Attempt, String)}, with {@code logDetail} for the log only. */
  static UpstreamFailure brokenAnswer(Attempt attempt, String reason, String logDetail) {
    return broken(attempt, reason, reason + " (" + logDetail + ")");
  }

  private static UpstreamFailure broken(Attempt attempt, String reason, String logDetail) {
    return new UpstreamFailure(FailureKind.TRANSIENT, 502, 0, null, FailureDetail.of(
        "Upstream provider '" + attempt.member().provider().name() + "' failed: " + reason + ".",
        "upstream_unavailable"), null, logDetail);
  }

  /**
   * The answer needed more of the gateway's large-buffer budget than other exchanges left: the gateway's state, not
   * the upstream's, so nothing cools and nothing is retried (a retry would meet the same full budget and pull the
   * whole answer again); the client gets 503 with Retry-After, as for a request body the budget could not take.
   */
  static UpstreamFailure outOfBufferBudget(Attempt attempt) {
    return new UpstreamFailure(FailureKind.GATEWAY_BUSY, 503, 0, BUSY_RETRY_AFTER, FailureDetail.of(
        "The gateway is handling too many large requests or answers at once; retry shortly.", "gateway_busy"), null,
        "the gateway's budget for large buffers could not take this answer");
  }

  static UpstreamFailure undecodable(Attempt attempt, String encoding) {
    return brokenStream(attempt, "the upstream sent a body with Content-Encoding '" + encoding
        + "' although the gateway asked for none");
  }

  /** A short, secret-free description of an exception and its causes, for the log. */
  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        sb.append(": ").append(UpstreamErrorText.clean(t.getMessage(), null));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return sb.toString();
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

  /** Waiting for a connection of the gateway's own pool timed out: the gateway is full, not the upstream. */
  static boolean isPoolTimeout(Throwable e) {
    return hasCause(e, DeadlineTimeoutException.class) || hasCause(e, ConnectionRequestTimeoutException.class);
  }

  /** True for TLS failures (an untrusted certificate, a host name mismatch), which operators must fix. */
  static boolean isTls(Throwable e) {
    return hasCause(e, SSLException.class);
  }

  /** The gateway refused to connect to the address (link-local or cloud-metadata addresses). */
  private static boolean isBlocked(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("blocked address")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
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
