package dev.llmproxy.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A fast fake OpenAI-compatible upstream: Jetty 12 core handlers (no servlet layer), HTTP/1.1 and
 * h2c (prior knowledge) on one connector, no thread per stream (paced events come from one timer
 * thread and are written with non-blocking {@code Response.write}). The path selects the behaviour,
 * so the gateway's {@code base-url} alone chooses it:
 * <ul>
 *   <li>{@code /json/v1/chat/completions}: a fixed chat.completion JSON body;</li>
 *   <li>{@code /sse/{n}/{paceMs}/v1/chat/completions}: n chunk events ({@code "seq":0..n-1}), one every
 *       paceMs (the first at once), then {@code data: [DONE]};</li>
 *   <li>{@code /big/{mib}/v1/chat/completions}: mib MiB of 8 KiB chunk events as fast as the reader takes them;</li>
 *   <li>{@code GET /stats}: requests seen per protocol version.</li>
 * </ul>
 * Usage: {@code FakeUpstream <port>}.
 */
public final class FakeUpstream extends Handler.Abstract.NonBlocking {
  static final byte[] JSON = UpstreamJson.CHAT_COMPLETION;
  static final byte[] DONE = UpstreamJson.DONE;
  static final int BIG_EVENT = 8192;
  private static final ByteBuffer BIG_BLOCK = bigBlock(8);

  private final ScheduledExecutorService timer;
  private final AtomicLong http1 = new AtomicLong();
  private final AtomicLong http2 = new AtomicLong();

  FakeUpstream(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    QueuedThreadPool pool = new QueuedThreadPool(16, 4);
    pool.setName("upstream");
    Server server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
    // One h2 connection from the gateway carries every stream; real providers allow ~100-250.
    h2c.setMaxConcurrentStreams(50_000);
    h2c.setInitialSessionRecvWindow(16 * 1024 * 1024);
    h2c.setInitialStreamRecvWindow(1024 * 1024);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http), h2c);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setAcceptQueueSize(4096);
    connector.setIdleTimeout(120_000);
    server.addConnector(connector);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "upstream-pacer");
      t.setDaemon(true);
      return t;
    });
    server.setHandler(new FakeUpstream(timer));
    server.start();
    System.out.println("fake upstream listening on 127.0.0.1:" + connector.getLocalPort());
    server.join();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (path.equals("/stats")) {
      byte[] body = ("{\"http1\":" + http1.get() + ",\"http2\":" + http2.get() + "}").getBytes(StandardCharsets.US_ASCII);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, ByteBuffer.wrap(body), callback);
      return true;
    }
    (request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_2 ? http2 : http1).incrementAndGet();
    String[] parts = path.split("/");
    // Drain the request body without blocking, then answer.
    Content.Source.consumeAll(request, Callback.from(() -> respond(parts, response, callback), callback::failed));
    return true;
  }

  private void respond(String[] parts, Response response, Callback callback) {
    try {
      switch (parts[1]) {
        case "json" -> {
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
          response.getHeaders().put(HttpHeader.CONTENT_LENGTH, JSON.length);
          response.write(true, ByteBuffer.wrap(JSON), callback);
        }
        case "sse" -> {
          sseHeaders(response);
          new PacedStream(Integer.parseInt(parts[2]), Integer.parseInt(parts[3]), response, callback).next();
        }
        case "big" -> {
          sseHeaders(response);
          new BigStream(Long.parseLong(parts[2]) * 1024 * 1024, response, callback).iterate();
        }
        default -> {
          response.setStatus(404);
          callback.succeeded();
        }
      }
    } catch (RuntimeException e) {
      callback.failed(e);
    }
  }

  private static void sseHeaders(Response response) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
  }

  /** One OpenAI-style chunk event carrying its sequence number. */
  static ByteBuffer event(int seq) {
    String s = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"bench-upstream\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token " + seq
        + " \"},\"finish_reason\":null}],\"seq\":" + seq + "}\n\n";
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** n events of exactly {@link #BIG_EVENT} bytes each. */
  private static ByteBuffer bigBlock(int n) {
    String head = "data: {\"id\":\"chatcmpl-big\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\"";
    String tail = "\"}}]}\n\n";
    String one = head + "x".repeat(BIG_EVENT - head.length() - tail.length()) + tail;
    return ByteBuffer.wrap(one.repeat(n).getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
  }

  /** Writes one event, waits for the write to complete, then for the pace; the timer thread does the waiting. */
  private final class PacedStream {
    private final int count;
    private final int paceMillis;
    private final Response response;
    private final Callback callback;
    private int seq;

    PacedStream(int count, int paceMillis, Response response, Callback callback) {
      this.count = count;
      this.paceMillis = paceMillis;
      this.response = response;
      this.callback = callback;
    }

    void next() {
      if (seq == count) {
        response.write(true, ByteBuffer.wrap(DONE), callback);
        return;
      }
      response.write(false, event(seq++), Callback.from(this::afterWrite, callback::failed));
    }

    private void afterWrite() {
      if (paceMillis == 0) {
        next();
      } else {
        timer.schedule(this::next, paceMillis, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Streams {@code total} bytes of events as fast as flow control allows, then [DONE]. */
  private static final class BigStream extends IteratingCallback {
    private final Response response;
    private final Callback callback;
    private long remaining;
    private boolean doneSent;

    BigStream(long total, Response response, Callback callback) {
      this.remaining = total;
      this.response = response;
      this.callback = callback;
    }

    @Override
    protected Action process() {
      if (remaining > 0) {
        ByteBuffer block = BIG_BLOCK.slice();
        if (block.remaining() > remaining) {
          block.limit((int) remaining);
        }
        remaining -= block.remaining();
        response.write(false, block, this);
        return Action.SCHEDULED;
      }
      if (!doneSent) {
        doneSent = true;
        response.write(true, ByteBuffer.wrap(DONE), this);
        return Action.SCHEDULED;
      }
      return Action.SUCCEEDED;
    }

    @Override
    protected void onCompleteSuccess() {
      callback.succeeded();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
      callback.failed(cause);
    }
  }
}
