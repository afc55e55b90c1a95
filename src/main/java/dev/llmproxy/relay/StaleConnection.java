package dev.llmproxy.relay;

import java.net.SocketException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.protocol.HttpCoreContext;

/**
 * Recognises a request sent on a pooled connection just as the upstream closed it: the connection had answered
 * before, and it closed (or was reset) before a byte of this answer came. Servers close idle keep-alive connections
 * on their own schedule (uvicorn, in front of vLLM and many self-hosted models, after 5 s), and a request leased in
 * the moment between the server's close and the gateway's reactor noticing it meets a dead connection. That is
 * neither the provider's failure nor worth a cooldown: the request goes again on another connection. So does one
 * that HttpCore reports as never sent. Stateless.
 */
final class StaleConnection {
  private StaleConnection() {}

  /**
   * @param cause why the exchange failed, before any response head
   * @param context the exchange's context, where HttpCore left the connection's details
   */
  static boolean closedUnderRequest(Exception cause, HttpCoreContext context) {
    if (cause instanceof RequestNotExecutedException) {
      return true; // HttpCore says so: the connection closed (or an HTTP/2 GOAWAY came) before the request went out
    }
    if (!(cause instanceof ConnectionClosedException || cause instanceof SocketException)) {
      return false; // timeouts, TLS, HTTP/2 stream resets: not a connection that went stale
    }
    EndpointDetails connection = context.getEndpointDetails();
    // Only a reused connection can have gone stale; a fresh one that closes at once (or a refused connect, which
    // is a SocketException too) is the upstream's doing. A
    // fresh connection has sent at most this request. HttpCore 5.4's HTTP/1.1 client counts each response it
    // receives as a request (ClientHttp1StreamDuplexer.updateInputMetrics), so the two counts are read together:
    // any earlier exchange on the connection makes their sum at least 2, with that bug or without it.
    return connection != null && connection.getRequestCount() + connection.getResponseCount() >= 2;
  }
}
