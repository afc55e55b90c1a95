package dev.llmproxy.testing;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An OpenAI-compatible fake provider on embedded Jetty, bound to {@code 127.0.0.1} on a free port; plain HTTP,
 * or HTTPS (HTTP/1.1 over TLS) when made with {@link #https(SelfSignedCertificate)}.
 *
 * <p>It records every request ({@link #requests()}) and answers what the test's {@link Responder} returns; by default
 * an {@link OpenAiResponder}. Every exchange is asynchronous and written with non-blocking I/O, and pauses use a
 * shared timer, so many thousands of slow streams ({@link UpstreamResponse#pacedStream}) need no thread each.
 *
 * <p>Use it either with try-with-resources ({@code new FakeUpstream().start()}) or as a JUnit extension:
 *
 * <pre>{@code
 * @RegisterExtension @Order(1) static final FakeUpstream upstream = new FakeUpstream();
 * }</pre>
 *
 * A static field starts once per class and is {@linkplain #reset() reset} before each test; an instance field starts
 * and stops around each test. Thread-safe: tests may script and inspect it while server threads use it.
 */
public final class FakeUpstream
    implements AutoCloseable, ScopedExtension {

  /** Connector idle timeout: long enough that a stalled stream outlives any gateway timeout under test. */
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

  private final RequestLog log = new RequestLog();
  private final StreamCounters counters = new StreamCounters();
  private final AtomicReference<Responder> responder = new AtomicReference<>(new OpenAiResponder());
  private final ExtensionScope scope = new ExtensionScope(this::start, this::reset, this::close);
  private final SelfSignedCertificate certificate;
  /** With TLS: offer HTTP/2 by ALPN beside HTTP/1.1, as most https providers do. */
  private final boolean alpnHttp2;
  private Server server;
  private StreamScheduler scheduler;
  private int port;

  /**
   * Decides the response to one request. Called on a server thread after the whole body has arrived; it should
   * return quickly (return an {@link SseStep#await} step rather than block). An exception becomes a 500.
   */
  @FunctionalInterface
  public interface Responder {
    /** Returns what to do with {@code request}. */
    UpstreamResponse respond(RecordedRequest request) throws Exception;
  }

  /** A plain-HTTP fake upstream. */
  public FakeUpstream() {
    this(null);
  }

  private FakeUpstream(SelfSignedCertificate certificate) {
    this(certificate, false);
  }

  private FakeUpstream(SelfSignedCertificate certificate, boolean alpnHttp2) {
    this.certificate = certificate;
    this.alpnHttp2 = alpnHttp2;
  }

  /**
   * A fake upstream that serves HTTPS only, presenting {@code certificate} (which should name {@code 127.0.0.1}, as
   * {@link SelfSignedCertificate#forLoopback()} does); {@link #rootUrl()} then starts with {@code https://}.
   */
  public static FakeUpstream https(SelfSignedCertificate certificate) {
    return new FakeUpstream(Objects.requireNonNull(certificate, "certificate"));
  }

  /**
   * Like {@link #https}, offering HTTP/2 by ALPN before HTTP/1.1, as most https providers do: what a client that
   * negotiates (the gateway's default {@code upstream.http2: negotiate}) ends up speaking.
   */
  public static FakeUpstream httpsWithHttp2(SelfSignedCertificate certificate) {
    return new FakeUpstream(Objects.requireNonNull(certificate, "certificate"), true);
  }

  /** Starts the server; does nothing if it already runs. Returns {@code this}. */
  public synchronized FakeUpstream start() {
    if (server != null) {
      return this;
    }
    scheduler = new StreamScheduler();
    QueuedThreadPool threads = new QueuedThreadPool(200, 4);
    threads.setName("fake-upstream");
    threads.setDaemon(true);
    Server newServer = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    HttpConnectionFactory http11 = new HttpConnectionFactory(http);
    // Plain connectors also take h2c with prior knowledge, which the gateway speaks with http2: force.
    ServerConnector connector;
    if (certificate == null) {
      connector = new ServerConnector(newServer, http11, new HTTP2CServerConnectionFactory(http));
    } else if (alpnHttp2) {
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", http11.getProtocol());
      alpn.setDefaultProtocol(http11.getProtocol());
      connector = new ServerConnector(newServer, new SslConnectionFactory(tls(certificate), alpn.getProtocol()), alpn,
          new HTTP2ServerConnectionFactory(http), http11);
    } else {
      connector = new ServerConnector(newServer, new SslConnectionFactory(tls(certificate), http11.getProtocol()),
          http11);
    }
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector.setAcceptQueueSize(4096);
    newServer.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder holder =
        new ServletHolder(
            new FakeUpstreamServlet(log, responder::get, new ResponseDispatcher(scheduler, counters)));
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    newServer.setHandler(context);
    try {
      newServer.start();
    } catch (Exception e) {
      scheduler.close();
      throw new IllegalStateException("fake upstream did not start", e);
    }
    server = newServer;
    port = connector.getLocalPort();
    return this;
  }

  private static SslContextFactory.Server tls(SelfSignedCertificate certificate) {
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStorePath(certificate.keyStore().toString());
    tls.setKeyStoreType("PKCS12");
    tls.setKeyStorePassword(SelfSignedCertificate.PASSWORD);
    return tls;
  }

  /** The port it listens on. */
  public synchronized int port() {
    requireStarted();
    return port;
  }

  /** The OpenAI base URL, {@code http(s)://127.0.0.1:PORT/v1}, as a provider's {@code base-url} would name it. */
  public String baseUrl() {
    return rootUrl() + "/v1";
  }

  /** {@code http://127.0.0.1:PORT} ({@code https://} when serving TLS), without a path. */
  public String rootUrl() {
    return (certificate == null ? "http" : "https") + "://127.0.0.1:" + port();
  }

  /** Uses {@code next} for every following request. Returns {@code this}. */
  public FakeUpstream respondWith(Responder next) {
    responder.set(Objects.requireNonNull(next, "responder"));
    return this;
  }

  /** Every request recorded so far, oldest first; an immutable snapshot. */
  public List<RecordedRequest> requests() {
    return log.snapshot();
  }

  /**
   * The most recent request.
   *
   * @throws AssertionError when there was none
   */
  public RecordedRequest lastRequest() {
    List<RecordedRequest> all = log.snapshot();
    if (all.isEmpty()) {
      throw new AssertionError("the fake upstream has received no request");
    }
    return all.get(all.size() - 1);
  }

  /**
   * Waits until at least {@code count} requests have been recorded and returns them.
   *
   * @throws AssertionError naming what did arrive when the timeout passes first
   */
  public List<RecordedRequest> awaitRequests(int count, Duration timeout) throws InterruptedException {
    return log.await(count, timeout);
  }

  /** Forgets the recorded requests. */
  public void clearRequests() {
    log.clear();
  }

  /** Turns request recording on (the default) or off; load tests switch it off to keep the heap flat. */
  public FakeUpstream recordRequests(boolean enabled) {
    log.setRecording(enabled);
    return this;
  }

  /** A snapshot of the stream counters; see {@link StreamStats}. */
  public StreamStats streamStats() {
    return counters.snapshot();
  }

  /**
   * Waits until at least {@code count} streams ended because their client went away, which is how a test sees that
   * a gateway cancelled its upstream exchange.
   *
   * @throws AssertionError with the counts when the timeout passes first
   */
  public StreamStats awaitCancelledStreams(int count, Duration timeout) throws InterruptedException {
    return counters.await(s -> s.cancelled() >= count, timeout, count + " cancelled streams");
  }

  /** Waits until at least {@code count} streams completed normally. */
  public StreamStats awaitCompletedStreams(int count, Duration timeout) throws InterruptedException {
    return counters.await(s -> s.completed() >= count, timeout, count + " completed streams");
  }

  /** Restores the default responder, clears the request log and zeroes the stream counters. */
  public void reset() {
    responder.set(new OpenAiResponder());
    log.clear();
    counters.reset();
  }

  /** Stops the server, cutting any open stream. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    // Stop the waiters first so that no released latch writes into a connection that is closing.
    scheduler.close();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("fake upstream did not stop cleanly", e);
    } finally {
      server = null;
    }
  }

  private void requireStarted() {
    if (server == null) {
      throw new IllegalStateException("FakeUpstream is not started; call start() or register it as an extension");
    }
  }

  /** Lifecycle for {@code @RegisterExtension} (see {@link ExtensionScope}). */
  @Override
  public ExtensionScope scope() {
    return scope;
  }
}
