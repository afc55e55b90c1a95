package dev.llmproxy.testing;

import jakarta.servlet.ServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

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

  /** Whether the exchange came over HTTP/2, where the connection carries other exchanges too. */
  static boolean isHttp2(ServletRequest request) {
    return ServletContextRequest.getServletContextRequest(request).getConnectionMetaData().getConnection()
        instanceof HTTP2Connection;
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
   * Resets the exchange's HTTP/2 stream with REFUSED_STREAM before any response byte: the server's way of saying it
   * did not process the request (RFC 9113, section 8.7), for example when it takes fewer streams than it had
   * advertised. Only for a request that came over HTTP/2.
   */
  static void refuseStream(ServletRequest request) {
    Request exchange = ServletContextRequest.getServletContextRequest(request);
    if (!(exchange.getConnectionMetaData().getConnection() instanceof HTTP2Connection http2)) {
      throw new IllegalStateException("only an HTTP/2 stream can be refused, this request came over "
          + exchange.getConnectionMetaData().getProtocol());
    }
    // Jetty names an HTTP/2 request by its stream's id.
    Stream stream = http2.getSession().getStream(Integer.parseInt(exchange.getId()));
    stream.reset(new ResetFrame(stream.getId(), ErrorCode.REFUSED_STREAM_ERROR.code), Callback.NOOP);
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
    Request exchange = ServletContextRequest.getServletContextRequest(request);
    if (exchange.getConnectionMetaData().getConnection() instanceof HTTP2Connection http2) {
      // Reading here would take frames of other streams: an HTTP/2 client leaves one stream by resetting it.
      Stream stream = http2.getSession().getStream(Integer.parseInt(exchange.getId()));
      return stream == null || stream.isReset() || stream.isClosed();
    }
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
