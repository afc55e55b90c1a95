package dev.llmproxy.bench;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The streaming load client: Jetty's non-blocking HttpClient over HTTP/1.1 (one connection per open
 * stream, like real SSE clients), with a tiny SSE scanner that checks each event's {@code "seq"} so
 * lost or reordered events are counted, not guessed. The same client talks to the upstream directly
 * and to the gateway, so its own cost cancels out of every difference.
 */
final class SseClient implements AutoCloseable {
  private final HttpClient http;

  SseClient(int maxConnections) throws Exception {
    ClientConnector connector = new ClientConnector();
    connector.setSelectors(1);
    QueuedThreadPool pool = new QueuedThreadPool(8, 2);
    pool.setName("sse-client");
    connector.setExecutor(pool);
    http = new HttpClient(new HttpClientTransportOverHTTP(connector));
    http.setExecutor(pool);
    http.setMaxConnectionsPerDestination(maxConnections);
    http.setMaxRequestsQueuedPerDestination(maxConnections * 2);
    http.setIdleTimeout(120_000);
    http.setConnectTimeout(30_000);
    http.setFollowRedirects(false);
    http.setUserAgentField(null);
    http.start();
  }

  /** What a stream's reader checks in what arrives. */
  enum Check {
    /** Every event's {@code "seq"} in order, and the final [DONE]: token streams of the fake upstream. */
    SEQUENCE,
    /** Bytes only, and the final [DONE]: large streams, read as fast as possible. */
    BYTES,
    /** Events counted, whatever their content: a client dialect's own event stream. */
    EVENTS
  }

  /** Starts one streaming request; the returned stream's {@code done} completes when the response ends. */
  Stream open(URI uri, byte[] body, Check check, Stream.Observer observer) {
    Stream stream = new Stream(check, observer);
    Request request = http.newRequest(uri)
        .method(HttpMethod.POST)
        .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + ChatRequests.CLIENT_KEY)
            .put(HttpHeader.ACCEPT, "text/event-stream"))
        .body(new BytesRequestContent("application/json", body))
        .timeout(300, TimeUnit.SECONDS)
        .onResponseContent((response, content) -> stream.onContent(content));
    stream.startNanos = System.nanoTime();
    request.send(result -> stream.onComplete(result.isSucceeded() ? result.getResponse().getStatus() : -1,
        result.getFailure()));
    return stream;
  }

  @Override
  public void close() throws Exception {
    http.stop();
  }

  /** One response being read: counts bytes and events, remembers when the first event arrived. */
  static final class Stream {
    /** Hooks for concurrency tracking. */
    interface Observer {
      void onFirstEvent(Stream s);

      void onEnd(Stream s);
    }

    static final Observer NONE = new Observer() {
      @Override
      public void onFirstEvent(Stream s) {}

      @Override
      public void onEnd(Stream s) {}
    };

    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);

    final CompletableFuture<Stream> done = new CompletableFuture<>();
    private final Check check;
    private final Observer observer;
    volatile long startNanos;
    volatile long firstEventNanos;
    volatile long endNanos;
    volatile long bytes;
    int events;
    int reordered;
    boolean sawDone;
    int status;
    Throwable failure;
    private final byte[] line = new byte[512];
    private int lineLength;
    private final byte[] tail = new byte[DONE.length + 2];
    private int nextSeq;

    Stream(Check check, Observer observer) {
      this.check = check;
      this.observer = observer;
    }

    void onContent(ByteBuffer content) {
      int n = content.remaining();
      bytes += n;
      if (check != Check.BYTES) {
        while (content.hasRemaining()) {
          scan(content.get());
        }
      } else {
        // Big responses: bytes only (the exact byte count proves nothing was lost), plus the tail for [DONE].
        int pos = content.position();
        int keep = Math.min(n, tail.length);
        System.arraycopy(tail, keep, tail, 0, tail.length - keep);
        content.position(pos + n - keep);
        content.get(tail, tail.length - keep, keep);
      }
    }

    private void scan(byte b) {
      if (b == '\n') {
        if (lineLength == 0) {
          onEventEnd();
        } else {
          onLine();
        }
        lineLength = 0;
      } else if (lineLength < line.length) {
        line[lineLength++] = b;
      }
    }

    private void onLine() {
      if (check == Check.EVENTS) {
        return;
      }
      if (startsWith(line, lineLength, DONE, 0)) {
        sawDone = true;
        return;
      }
      for (int i = 0; i + SEQ.length <= lineLength; i++) {
        if (startsWith(line, lineLength, SEQ, i)) {
          int v = 0;
          for (int j = i + SEQ.length; j < lineLength && line[j] >= '0' && line[j] <= '9'; j++) {
            v = v * 10 + (line[j] - '0');
          }
          if (v != nextSeq) {
            reordered++;
          }
          nextSeq = v + 1;
          return;
        }
      }
    }

    private void onEventEnd() {
      if (events++ == 0) {
        firstEventNanos = System.nanoTime();
        observer.onFirstEvent(this);
      }
    }

    void onComplete(int status, Throwable failure) {
      this.status = status;
      this.failure = failure;
      endNanos = System.nanoTime();
      if (check == Check.BYTES) {
        sawDone = startsWith(tail, tail.length, DONE, 0);
      }
      observer.onEnd(this);
      done.complete(this);
    }

    /** Events before [DONE] (the [DONE] event itself is not a data chunk). */
    int dataEvents() {
      return sawDone ? events - 1 : events;
    }

    boolean ok() {
      return status == 200 && failure == null && (sawDone || check == Check.EVENTS);
    }

    double firstEventMillis() {
      return (firstEventNanos - startNanos) / 1e6;
    }

    private static boolean startsWith(byte[] a, int len, byte[] prefix, int at) {
      if (at + prefix.length > len) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (a[at + i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }
  }
}
