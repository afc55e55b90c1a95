package dev.llmproxy.bench;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The least a proxy in this container can cost: each request is relayed by the container's worker thread
 * itself, with blocking sockets and no hand-off to another thread. It reads the body, writes it to a kept-alive
 * HTTP/1.1 connection to the upstream (same path, no rewrite), blocks for the answer and copies it to the client,
 * decoding only HTTP's framing (content length or chunks) and flushing whenever the upstream has nothing more
 * waiting, so events go out as they arrive. No key check, routing, parsing, usage or metrics.
 *
 * <p>It parks a thread for each request in flight, which the gateway must not (a stream lasts minutes and
 * thousands are open), so it is a bound to read the gateway's cost against, not a design: what a servlet in this
 * container spends to proxy a request when nothing else is done. Upstream port: {@code -Dbench.upstreamPort}.
 */
public final class BlockingProxyServlet extends HttpServlet {
  private static final int BUFFER = 64 * 1024;

  private final transient ConcurrentLinkedDeque<UpstreamConnection> idle = new ConcurrentLinkedDeque<>();
  private final int upstreamPort = Integer.getInteger("bench.upstreamPort", 18401);

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    byte[] body = request.getInputStream().readAllBytes();
    UpstreamConnection upstream = idle.pollFirst();
    try {
      if (upstream == null) {
        upstream = new UpstreamConnection(upstreamPort);
      }
      upstream.send(request.getMethod(), request.getRequestURI(), request.getContentType(), body);
      boolean reusable = upstream.relayResponse(response);
      if (reusable) {
        idle.offerFirst(upstream);
      } else {
        upstream.close();
      }
    } catch (IOException | RuntimeException e) {
      // The client left, or the upstream failed or answered in a way this bound does not parse: never reused.
      if (upstream != null) {
        upstream.close();
      }
      if (!response.isCommitted()) {
        response.sendError(HttpServletResponse.SC_BAD_GATEWAY);
      }
    }
  }

  @Override
  public void destroy() {
    for (UpstreamConnection c; (c = idle.pollFirst()) != null; ) {
      c.close();
    }
  }

  /** One kept-alive HTTP/1.1 connection to the upstream, used by one request at a time. */
  private static final class UpstreamConnection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER];

    UpstreamConnection(int port) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(120_000);
      in = new BufferedInputStream(socket.getInputStream(), BUFFER);
      out = socket.getOutputStream();
    }

    /** The request head and body in one write. */
    void send(String method, String path, String contentType, byte[] body) throws IOException {
      String head = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + socket.getPort() + "\r\n"
          + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
          + "Content-Length: " + body.length + "\r\n\r\n";
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + body.length);
      bytes.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
      bytes.writeBytes(body);
      out.write(bytes.toByteArray());
    }

    /** Copies the upstream's response to the client; true when the connection can carry another request. */
    boolean relayResponse(HttpServletResponse response) throws IOException {
      String status = readLine();
      response.setStatus(Integer.parseInt(status.substring(9, 12)));
      long length = -1;
      boolean chunked = false;
      boolean keepAlive = true;
      for (String line = readLine(); !line.isEmpty(); line = readLine()) {
        int colon = line.indexOf(':');
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          length = Long.parseLong(value);
          response.setContentLengthLong(length);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          chunked = value.equalsIgnoreCase("chunked");
        } else if (name.equalsIgnoreCase("Connection")) {
          keepAlive = !value.equalsIgnoreCase("close");
        } else if (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Cache-Control")) {
          response.setHeader(name, value);
        }
      }
      ServletOutputStream client = response.getOutputStream();
      if (chunked) {
        for (long size = chunkSize(); size > 0; size = chunkSize()) {
          copy(size, client);
          readLine(); // the chunk's line break
          if (in.available() == 0) {
            client.flush();
          }
        }
        readLine(); // the empty line after the last chunk (no trailers from this upstream)
      } else if (length >= 0) {
        copy(length, client);
      } else {
        copy(Long.MAX_VALUE, client);
        keepAlive = false;
      }
      return keepAlive;
    }

    private long chunkSize() throws IOException {
      String line = readLine();
      int extension = line.indexOf(';');
      return Long.parseLong(extension < 0 ? line : line.substring(0, extension), 16);
    }

    /**
     * Up to {@code count} bytes (or to the end of the stream), flushed whenever nothing more has arrived and more is
     * to come; the container sends the rest when the request completes.
     */
    private void copy(long count, ServletOutputStream client) throws IOException {
      while (count > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, count));
        if (n < 0) {
          if (count == Long.MAX_VALUE) {
            return;
          }
          throw new IOException("upstream closed mid-body");
        }
        client.write(buffer, 0, n);
        count -= n;
        if (count > 0 && in.available() == 0) {
          client.flush();
        }
      }
    }

    private String readLine() throws IOException {
      StringBuilder line = new StringBuilder(64);
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("upstream closed mid-head");
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing a connection nobody will use again.
      }
    }
  }
}
