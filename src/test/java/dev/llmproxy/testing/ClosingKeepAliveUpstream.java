package dev.llmproxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 upstream that answers the first request of each connection and keeps the connection alive, then
 * closes it when the next request arrives, without a byte of answer: what a client meets when it sends on a
 * pooled connection just as the server's keep-alive timeout closes it (uvicorn, behind vLLM, closes after 5 s).
 * The close can be a TCP reset rather than an orderly one ({@link #resetting}), and the upstream can stop answering
 * altogether, closing fresh connections unanswered too ({@link #answeringNothing}).
 * One thread per connection; for tests.
 */
public final class ClosingKeepAliveUpstream implements AutoCloseable {
  private final ServerSocket server;
  private volatile boolean reset;
  private volatile boolean answersNothing;
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger closedUnanswered = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();

  public ClosingKeepAliveUpstream() throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "closing-upstream-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Closes with a TCP reset from now on (or, with false, in order again). */
  public ClosingKeepAliveUpstream resetting(boolean resetting) {
    this.reset = resetting;
    return this;
  }

  /** From now on, answers no request at all: a fresh connection closes unanswered too (false: as before). */
  public ClosingKeepAliveUpstream answeringNothing(boolean nothing) {
    this.answersNothing = nothing;
    return this;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
  }

  /** Requests answered (each the first of its connection). */
  public int answered() {
    return answered.get();
  }

  /** Requests that met a closing connection. */
  public int closedUnanswered() {
    return closedUnanswered.get();
  }

  public int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        Thread t = new Thread(() -> serve(s), "closing-upstream-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      String model = readRequest(in);
      if (model == null) {
        return;
      }
      if (answersNothing) {
        closeUnanswered(s);
        return;
      }
      answered.incrementAndGet(); // before the answer leaves: a test reads the count once it has the answer
      byte[] body = OpenAiBodies.chatCompletion(model, "ok").getBytes(StandardCharsets.UTF_8);
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
          + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      if (readRequest(in) != null) {
        closeUnanswered(s);
      }
    } catch (IOException ignored) {
      // the client went away
    }
  }

  private void closeUnanswered(Socket s) throws IOException {
    closedUnanswered.incrementAndGet();
    if (reset) {
      s.setSoLinger(true, 0);
    }
  }

  /** Reads one request; returns the model it names ("m" when none), or null at the end of the stream. */
  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : b == '\r' ? 1 : 0;
    }
    int length = 0;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    String text = new String(body, StandardCharsets.UTF_8);
    int at = text.indexOf("\"model\":\"");
    return at < 0 ? "m" : text.substring(at + 9, text.indexOf('"', at + 9));
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
