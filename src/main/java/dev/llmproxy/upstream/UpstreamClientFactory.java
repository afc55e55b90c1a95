package dev.llmproxy.upstream;

import dev.llmproxy.config.OutboundProxy;
import dev.llmproxy.config.UpstreamAddresses;
import dev.llmproxy.config.UpstreamConfig;
import dev.llmproxy.config.UpstreamTrustStore;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and starts one HttpClient 5 async client for an outbound route (direct, or one proxy) and
 * transport settings. A SOCKS proxy is a per-reactor setting in HttpCore, which is why each proxy gets
 * its own client.
 *
 * <p>TLS: https upstreams are verified against the JVM's default trust, or only against {@code
 * upstream.trust-store} when that is set; host names are verified either way. Outbound proxies are
 * plain {@code http://} (CONNECT tunnels for https upstreams) or SOCKS5; the config refuses
 * {@code https://} proxies (see {@link OutboundProxy}).
 *
 * <p>Security: connections go only to addresses {@link GuardedDnsResolver} allows (never link-local or
 * cloud metadata; private ones only with {@code upstream.allow-private-addresses}); redirects are never followed (an upstream URL comes only from admin config), cookies
 * are never stored (they would mix between clients), and requests are never retried automatically
 * (routing decides retries). Stateless.
 */
final class UpstreamClientFactory {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamClientFactory.class);

  /**
   * HttpCore gives every HTTP/1.1 connection three buffers of this size (input, output, decoded content), held
   * for as long as the connection is open: an open stream's largest share of the heap. 16 KiB against 32 KiB
   * (two gateways in one run, Tomcat 10.1, 9,000 streams): 162 against 210 KiB of live heap per open stream,
   * and a 1 GiB stream 8–12% slower (1.62 against 1.46 CPU s per GiB). Token streams are the workload; a
   * response of a gigabyte is not.
   */
  static final int HTTP1_BUFFER_BYTES = 16 * 1024;

  private UpstreamClientFactory() {}

  /**
   * The clients for one route: one pooling client, or with {@code http2: force} (and no HTTP proxy)
   * {@code http2-connections} HTTP/2 clients of one connection and one reactor thread each, which the
   * caller spreads exchanges over. One multiplexed connection is one thread's work: 64 clients of short
   * requests over a single h2 connection ran at ~24% of the upstream's direct throughput, over one per
   * core at ~30%, like HTTP/1.1.
   */
  /**
   * @param managers receives each pooling client's connection manager (none for multiplexed HTTP/2 clients), which
   *     the caller sweeps for requests waiting past {@code pool-wait} and counts connections of
   * @param onReactorExit runs when an I/O reactor thread of these clients ends, whether closed or killed
   */
  static List<CloseableHttpAsyncClient> newClients(OutboundProxy proxy, UpstreamConfig settings,
      List<PoolingAsyncClientConnectionManager> managers,
      Runnable onReactorExit) {
    boolean multiplexed = settings.http2() == UpstreamConfig.Http2.FORCE && proxy.kind() != OutboundProxy.Kind.HTTP;
    List<CloseableHttpAsyncClient> clients = new ArrayList<>();
    try {
      int count = multiplexed ? settings.http2Connections() : 1;
      for (int i = 0; i < count; i++) {
        clients.add(newClient(proxy, settings, multiplexed, managers, onReactorExit));
      }
    } catch (RuntimeException e) {
      clients.forEach(c -> c.close(CloseMode.IMMEDIATE));
      throw e;
    }
    LOG.info("Started upstream connection pool for {} ({}){}", proxy,
        multiplexed ? "HTTP/2, multiplexed over " + clients.size() + " connection(s)" : "pooled",
        settings.trustStore() == null ? "" : ", trusting " + settings.trustStore());
    return List.copyOf(clients);
  }

  private static CloseableHttpAsyncClient newClient(OutboundProxy proxy, UpstreamConfig settings, boolean multiplexed,
      List<PoolingAsyncClientConnectionManager> managers, Runnable onReactorExit) {
    Timeout connectTimeout = Timeout.of(settings.connectTimeout());
    Timeout readTimeout = Timeout.of(settings.readTimeout());
    int ioThreads = multiplexed || !proxy.isDirect() ? 1 : Math.min(2, Runtime.getRuntime().availableProcessors());
    IOReactorConfig.Builder reactor = IOReactorConfig.custom()
        .setIoThreadCount(ioThreads)
        .setSoTimeout(readTimeout)
        .setTcpNoDelay(true);
    if (proxy.isSocks()) {
      // HttpCore connects to this address itself, so it must be resolved (once, when the pool is made).
      reactor.setSocksProxyAddress(socksProxyAddress(proxy));
      if (proxy.username() != null) {
        reactor.setSocksProxyUsername(proxy.username());
        reactor.setSocksProxyPassword(proxy.password() == null ? "" : proxy.password());
      }
    }
    RequestConfig requestConfig = RequestConfig.custom()
        .setResponseTimeout(readTimeout)
        // Waiting for a pooled connection is the gateway's own limit, bounded on its own (upstream.pool-wait):
        // a request still waiting then gets 503 gateway_busy, never an upstream timeout that cools a key.
        .setConnectionRequestTimeout(Timeout.of(settings.poolWait()))
        .setRedirectsEnabled(false)
        .build();
    ConnectionConfig connectionConfig = ConnectionConfig.custom()
        .setConnectTimeout(connectTimeout)
        .setSocketTimeout(readTimeout)
        .setTimeToLive(TimeValue.ofMinutes(10))
        .setValidateAfterInactivity(TimeValue.ofSeconds(10))
        .build();
    CloseableHttpAsyncClient client = multiplexed
        ? newHttp2Client(proxy, settings, reactor.build(), requestConfig, connectionConfig, onReactorExit)
        : newPoolingClient(proxy, settings, reactor.build(), requestConfig, connectionConfig, managers,
            onReactorExit);
    client.start();
    return client;
  }

  /**
   * {@code http2: force} without an HTTP proxy: HttpClient's HTTP/2 client, which multiplexes every
   * exchange of a route over one connection from the first request on (h2c prior knowledge on http,
   * ALPN on https). The pooling client, even with message multiplexing, shares an h2 connection only
   * after one exchange on it has ended, so a burst of long streams on a fresh pool opened a connection
   * per stream (measured: 1,000 streams took all 1,000 connections of the route, the rest timed out).
   * Exchanges beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS wait inside HttpClient for a free stream.
   * One such client holds one connection per route; {@link #newClients} makes several.
   */
  private static CloseableHttpAsyncClient newHttp2Client(OutboundProxy proxy, UpstreamConfig settings,
      IOReactorConfig reactor, RequestConfig requestConfig, ConnectionConfig connectionConfig, Runnable onReactorExit) {
    var builder = HttpAsyncClients.customHttp2()
        // 64 KiB frames (the default is 16 KiB) let a fast stream arrive in window-sized pieces: fewer
        // callbacks and client flushes per byte; 1 GiB relayed went from ~600 to ~740 MiB/s. Memory per
        // stream stays bounded by the flow-control window, which is left at its default.
        .setH2Config(H2Config.custom().setPushEnabled(false).setMaxFrameSize(64 * 1024).build())
        // A stream that fails (a departed client's, cancelled) ends alone, its connection serving the others.
        .addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), Http2StreamIsolation.NAME,
            new Http2StreamIsolation())
        .addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), ExchangeCancellationCapture.NAME,
            new ExchangeCancellationCapture())
        .setIOReactorConfig(reactor)
        .setDefaultRequestConfig(requestConfig)
        .setDefaultConnectionConfig(connectionConfig)
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableAutomaticRetries()
        .disableAuthCaching()
        // We never set RFC 9218 priorities; the interceptor would look for a header on every request.
        .disableRequestPriority()
        .evictIdleConnections(TimeValue.ofMinutes(1))
        .setDnsResolver(resolverFor(proxy, settings))
        .setThreadFactory(threadsFor(proxy, onReactorExit));
    if (settings.trustStore() != null) {
      builder.setTlsStrategy(tlsStrategyTrusting(settings.trustStore()));
    }
    return builder.build();
  }

  private static CloseableHttpAsyncClient newPoolingClient(OutboundProxy proxy, UpstreamConfig settings,
      IOReactorConfig reactor, RequestConfig requestConfig, ConnectionConfig connectionConfig,
      List<PoolingAsyncClientConnectionManager> managers, Runnable onReactorExit) {
    HttpVersionPolicy versionPolicy = switch (settings.http2()) {
      case FORCE -> HttpVersionPolicy.FORCE_HTTP_2;
      case NEVER -> HttpVersionPolicy.FORCE_HTTP_1;
      default -> HttpVersionPolicy.NEGOTIATE;
    };
    PoolingAsyncClientConnectionManagerBuilder pool = PoolingAsyncClientConnectionManagerBuilder.create();
    if (settings.trustStore() != null) {
      pool.setTlsStrategy(tlsStrategyTrusting(settings.trustStore()));
    }
    PoolingAsyncClientConnectionManager connections = pool
        .setDnsResolver(resolverFor(proxy, settings))
        .setMaxConnPerRoute(settings.maxConnectionsPerRoute())
        .setMaxConnTotal(settings.maxConnectionsPerRoute() * 4)
        .setDefaultConnectionConfig(connectionConfig)
        .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(versionPolicy).build())
        // Without this the pool leases an h2 connection to one exchange at a time, exactly like
        // HTTP/1.1 (wrk -c64 opened 64 h2 connections). With it, an h2 connection is shared once an
        // exchange on it has ended; HTTP/1.1 connections are not affected.
        .setMessageMultiplexing(settings.http2() != UpstreamConfig.Http2.NEVER)
        .build();
    managers.add(connections);
    HttpAsyncClientBuilder builder = HttpAsyncClients.custom()
        // HTTP/1.1 hands response bodies over in pieces of this buffer; each piece costs the relay one
        // batch, write and flush. 8 KiB (the default) relayed 1 GiB at ~0.55 GiB/s, 32 KiB at ~1.0 (Jetty).
        // Three such buffers per pooled connection: 48 MiB at 1,000 open HTTP/1.1 streams.
        .setHttp1Config(Http1Config.custom().setBufferSize(HTTP1_BUFFER_BYTES).build())
        .setConnectionManager(connections)
        // HTTP/2 negotiated by ALPN shares a connection between exchanges here too: a departed client's stream is
        // reset by its consumer at its next bytes and ends alone (the cancel itself is not captured for HTTP/2:
        // this client turns it into closing the connection).
        .addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), StepByProtocol.NAME,
            new StepByProtocol(new ExchangeCancellationCapture(), new Http2StreamIsolation()))
        .setIOReactorConfig(reactor)
        .setDefaultRequestConfig(requestConfig)
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableAutomaticRetries()
        .disableAuthCaching()
        .disableContentCompression()
        .evictExpiredConnections()
        .evictIdleConnections(TimeValue.ofMinutes(1))
        .setThreadFactory(threadsFor(proxy, onReactorExit));
    if (proxy.kind() == OutboundProxy.Kind.HTTP) {
      HttpHost proxyHost = new HttpHost("http", proxy.host(), proxy.port());
      builder.setProxy(proxyHost);
      if (proxy.username() != null) {
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        credentials.setCredentials(new AuthScope(proxyHost),
            new UsernamePasswordCredentials(proxy.username(),
                (proxy.password() == null ? "" : proxy.password()).toCharArray()));
        builder.setDefaultCredentialsProvider(credentials);
      }
    }
    return builder.build();
  }

  /** The SOCKS proxy's address, resolved now; a blocked one fails the pool (and so the attempt, as a 502). */
  private static InetSocketAddress socksProxyAddress(OutboundProxy proxy) {
    try {
      return new InetSocketAddress(new GuardedDnsResolver(UpstreamAddresses.PROXIES).resolve(proxy.host())[0],
          proxy.port());
    } catch (GuardedDnsResolver.BlockedAddressException e) {
      throw new UncheckedIOException(e);
    } catch (UnknownHostException e) {
      return InetSocketAddress.createUnresolved(proxy.host(), proxy.port()); // fails at connect, as before
    }
  }

  /**
   * Refuses blocked addresses (see {@link GuardedDnsResolver}). Behind an {@code http://} proxy only the
   * proxy's own name is resolved here, and a proxy may be private.
   */
  private static GuardedDnsResolver resolverFor(OutboundProxy proxy, UpstreamConfig settings) {
    return new GuardedDnsResolver(proxy.kind() == OutboundProxy.Kind.HTTP ? UpstreamAddresses.PROXIES
        : settings.addresses());
  }

  private static NamedDaemonThreads threadsFor(OutboundProxy proxy, Runnable onExit) {
    return new NamedDaemonThreads("llm-proxy-upstream-" + (proxy.isDirect() ? "direct" : proxy.kind().name().toLowerCase()),
        onExit);
  }

  /** TLS that trusts only {@code trustStore}; JSSE's built-in host name check stays on. */
  private static TlsStrategy tlsStrategyTrusting(UpstreamTrustStore trustStore) {
    return ClientTlsStrategyBuilder.create()
        .setSslContext(trustStore.sslContext())
        .setHostVerificationPolicy(HostnameVerificationPolicy.BUILTIN)
        .buildAsync();
  }
}
