package dev.llmproxy.testing;

import jakarta.servlet.ServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Reaches below the Servlet API into the Jetty connection of an exchange: to break it on purpose, the way a crashing
 * provider would, and to notice a client that left while nothing was being written.
 *
 * <p>Stateless; only works inside {@link FakeUpstream}'s Jetty server.
 */
final class JettyConnection {

  private JettyConnection() {}

  /** Aborts the exchange: Jetty closes the connection without finishing the response body. */
  static void abort(ServletRequest request) {
    ServletContextRequest.getServletContextRequest(request)
        .getServletChannel()
        .abort(new IOException("fake upstream aborted the exchange"));
  }

  /** Closes the TCP connection immediately, before any response byte. */
  static void close(ServletRequest request) {
    endPoint(request).close();
  }

  /** Resets the TCP connection (SO_LINGER 0, then close) before any response byte. */
  static void reset(ServletRequest request) {
    EndPoint endPoint = endPoint(request);
    if (endPoint.getTransport() instanceof SocketChannel channel) {
      try {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    endPoint.close();
  }

  /**
   * Whether the client has closed its side of the connection.
   *
   * <p>HTTP/1.1 servers (Jetty included) only notice a departed client when a write fails, so a stalled stream would
   * never see it. This reads from the socket directly while the exchange is idle: Jetty has no read pending then,
   * because the request body is complete. A client that pipelines another request would lose its bytes to this
   * read; the clients under test do not pipeline.
   */
  static boolean isClosedByClient(ServletRequest request) {
    EndPoint endPoint = endPoint(request);
    if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
      return true;
    }
    try {
      ByteBuffer scratch = BufferUtil.allocate(64);
      return endPoint.fill(scratch) < 0;
    } catch (IOException reset) {
      return true;
    }
  }

  private static EndPoint endPoint(ServletRequest request) {
    return ServletContextRequest.getServletContextRequest(request).getServletChannel().getEndPoint();
  }
}
