package dev.llmproxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client on a bare socket, for what well-behaved HTTP clients never do: stop reading, leave abruptly
 * (a TCP reset, as a killed process leaves), send a body other than the one declared. Speaks just enough
 * HTTP/1.1 to send one request and read raw bytes back. Not thread-safe; close it.
 */
public final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code 127.0.0.1:port}. */
  public static RawClient connect(int port) throws IOException {
    return connect(port, 0);
  }

  /**
   * Connects with a receive buffer of {@code receiveBufferBytes} (0 for the default): a small one makes a client
   * that does not read fill up fast, so the server's writes stop being ready.
   */
  public static RawClient connect(int port, int receiveBufferBytes) throws IOException {
    Socket s = new Socket();
    if (receiveBufferBytes > 0) {
      s.setReceiveBufferSize(receiveBufferBytes);
    }
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(10_000);
    return new RawClient(s);
  }

  /** Sends a POST with a JSON body and the given bearer key. */
  public RawClient post(String path, String bearer, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + bearer
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n", body);
  }

  /** Sends raw head text and body bytes as they are. */
  public RawClient send(String head, byte[] body) throws IOException {
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
    return this;
  }

  /** Reads until what arrived contains {@code text} {@code times} times; fails after the socket timeout. */
  public String readUntil(String text, int times) throws IOException {
    byte[] buf = new byte[8192];
    while (count(received.toString(StandardCharsets.UTF_8), text) < times) {
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("closed after " + received.size() + " bytes: " + received.toString(StandardCharsets.UTF_8));
      }
      received.write(buf, 0, n);
    }
    return received.toString(StandardCharsets.UTF_8);
  }

  /** Reads everything until the server closes or {@code quietMillis} pass without a byte. */
  public String readAll(int quietMillis) throws IOException {
    socket.setSoTimeout(quietMillis);
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        received.write(buf, 0, n);
      }
    } catch (SocketTimeoutException quiet) {
      // nothing more for a while
    } finally {
      socket.setSoTimeout(10_000);
    }
    return received.toString(StandardCharsets.UTF_8);
  }

  /**
   * Reads until the server closes the connection, {@code bytesPerRead} at most per read and pausing
   * {@code pause} after each (a slow reader when both are small), and parses what arrived. Send
   * {@code Connection: close} so that the end of the response is the end of the connection.
   *
   * @throws SocketTimeoutException when {@code deadline} passes first, or the server is silent for the socket timeout
   */
  public RawResponse readToEnd(Duration deadline, int bytesPerRead, Duration pause) throws IOException {
    long end = System.nanoTime() + deadline.toNanos();
    byte[] buf = new byte[bytesPerRead];
    for (int n; (n = in.read(buf)) >= 0; ) {
      received.write(buf, 0, n);
      if (System.nanoTime() - end > 0) {
        throw new SocketTimeoutException("no end of response within " + deadline + " (" + received.size()
            + " bytes so far)");
      }
      if (!pause.isZero()) {
        pauseFor(pause);
      }
    }
    return RawResponse.parse(received.toByteArray());
  }

  /** Reads until at least {@code bytes} bytes arrived in all, or the server closed; returns how many arrived. */
  public int readAtLeast(int bytes) throws IOException {
    byte[] buf = new byte[8192];
    while (received.size() < bytes) {
      int n = in.read(buf, 0, Math.min(buf.length, bytes - received.size()));
      if (n < 0) {
        break;
      }
      received.write(buf, 0, n);
    }
    return received.size();
  }

  /** Changes how long one read may wait for a byte before it throws {@link SocketTimeoutException}. */
  public void readTimeout(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
  }

  private static void pauseFor(Duration pause) throws IOException {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading slowly");
    }
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  /** Leaves with a TCP reset, as a killed client does, not with an orderly close. */
  public void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
