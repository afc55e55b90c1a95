package dev.llmproxy.relay;

import dev.llmproxy.dialect.Answer;
import dev.llmproxy.dialect.ErrorResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hc.core5.http.Header;

/**
 * Writes the head of the client's response, once: an answer's (status, content type, length, the upstream
 * headers {@code passthrough-headers} lets through), a stream's ({@code text/event-stream} or the dialect's type,
 * no caching, no proxy buffering), an error's, or the 200 of a padded answer whose body is still to come. Knows
 * the status it sent. Not thread-safe: its exchange calls it under its lock.
 */
final class ResponseHead {
  private final HttpServletResponse clientResponse;
  private boolean padded;
  private int status;

  ResponseHead(HttpServletResponse clientResponse) {
    this.clientResponse = clientResponse;
  }

  /** Status 200 and JSON went out for a pending non-streaming answer: later heads are not written. */
  boolean padded() {
    return padded;
  }

  /** The status sent, or 0 before any. */
  int status() {
    return status;
  }

  /** The head of a padded answer: 200 and JSON, whatever the upstream answers later. */
  void pad() {
    if (!padded && status == 0) {
      padded = true;
      send(200);
      clientResponse.setContentType("application/json");
    }
  }

  /** The head of a streamed answer. */
  void stream(Answer answer, AnswerHead upstream) {
    if (padded) {
      return;
    }
    passThrough(upstream);
    send(200);
    clientResponse.setContentType(answer.streamContentType());
    clientResponse.setCharacterEncoding("UTF-8");
    clientResponse.setHeader("Cache-Control", "no-cache");
    clientResponse.setHeader("X-Accel-Buffering", "no");
  }

  /** The head of a JSON answer; {@code contentLength} -1 when unknown (relayed as it comes). */
  void body(Answer answer, AnswerHead upstream, long contentLength) {
    if (padded) {
      return;
    }
    passThrough(upstream);
    send(upstream.status());
    clientResponse.setContentType(answer.bodyContentType(upstream.contentType()));
    if (contentLength >= 0) {
      clientResponse.setContentLengthLong(contentLength);
    }
  }

  /** The head of an error response (nothing, after padding: the error can only be its body). */
  void error(ErrorResponse response) {
    if (padded) {
      return;
    }
    send(response.status());
    clientResponse.setContentType(response.contentType());
    clientResponse.setContentLength(response.body().length);
    response.headers().forEach(clientResponse::setHeader);
  }

  /** Asks the container to close the connection after this response. */
  void closeConnection() {
    clientResponse.setHeader("Connection", "close");
  }

  /** The head of the gateway's own JSON answer (token counting). */
  void local(int length) {
    if (padded) {
      return;
    }
    send(200);
    clientResponse.setContentType("application/json");
    clientResponse.setContentLength(length);
  }

  private void send(int code) {
    status = code;
    clientResponse.setStatus(code);
  }

  /** Upstream headers the response does not have yet; the gateway's own (set before or after) win. */
  private void passThrough(AnswerHead upstream) {
    List<Header> upstreamHeaders = upstream == null ? List.of() : upstream.passedThrough();
    if (upstreamHeaders.isEmpty()) {
      return;
    }
    Set<String> own = new HashSet<>();
    for (Header h : upstreamHeaders) {
      if (clientResponse.containsHeader(h.getName())) {
        own.add(h.getName().toLowerCase(Locale.ROOT));
      }
    }
    for (Header h : upstreamHeaders) {
      if (!own.contains(h.getName().toLowerCase(Locale.ROOT))) {
        clientResponse.addHeader(h.getName(), h.getValue());
      }
    }
  }
}
