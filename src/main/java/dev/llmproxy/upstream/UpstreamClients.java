package dev.llmproxy.upstream;

import dev.llmproxy.config.OutboundProxy;
import dev.llmproxy.config.UpstreamConfig;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started HttpClient 5 async client per outbound route (direct, or one proxy) and transport
 * settings; every key that uses the same proxy shares its connection pool. A SOCKS proxy is a
 * per-reactor setting in HttpCore, which is why each proxy gets its own client. Clients are created
 * on first use and closed by {@link #close()}. Thread-safe.
 *
 * <p>Security: redirects are never followed (an upstream URL comes only from admin config), cookies
 * are never stored (they would mix between clients), and requests are never retried automatically
 * (routing decides retries).
 */
public final class UpstreamClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamClients.class);

  private final ConcurrentMap<String, CloseableHttpAsyncClient> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** The client for this proxy and these transport settings, created and started on first use. */
  public CloseableHttpAsyncClient clientFor(OutboundProxy proxy, UpstreamConfig settings) {
    if (closed) {
      throw new IllegalStateException("upstream clients are closed");
    }
    String key = proxy.poolKey() + "|" + settings;
    return clients.computeIfAbsent(key, k -> newClient(proxy, settings));
  }

  public int size() {
    return clients.size();
  }

  private static CloseableHttpAsyncClient newClient(OutboundProxy proxy, UpstreamConfig settings) {
    Timeout connectTimeout = Timeout.of(settings.connectTimeout());
    Timeout readTimeout = Timeout.of(settings.readTimeout());
    HttpVersionPolicy versionPolicy = switch (settings.http2()) {
      case FORCE -> HttpVersionPolicy.FORCE_HTTP_2;
      case NEVER -> HttpVersionPolicy.FORCE_HTTP_1;
      default -> HttpVersionPolicy.NEGOTIATE;
    };
    PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
        .setMaxConnPerRoute(settings.maxConnectionsPerRoute())
        .setMaxConnTotal(settings.maxConnectionsPerRoute() * 4)
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(connectTimeout)
            .setSocketTimeout(readTimeout)
            .setTimeToLive(TimeValue.ofMinutes(10))
            .setValidateAfterInactivity(TimeValue.ofSeconds(10))
            .build())
        .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(versionPolicy).build())
        // Without this the pool leases an h2 connection to one exchange at a time, exactly like
        // HTTP/1.1: c=64 opened 64 h2 connections and 10k streams would need 10k upstream sockets.
        // With it, HTTP/2 connections are shared and streams multiplexed; HTTP/1.1 ones are not affected.
        .setMessageMultiplexing(settings.http2() != UpstreamConfig.Http2.NEVER)
        .build();
    IOReactorConfig.Builder reactor = IOReactorConfig.custom()
        .setIoThreadCount(proxy.isDirect() ? Math.min(2, Runtime.getRuntime().availableProcessors()) : 1)
        .setSoTimeout(readTimeout)
        .setTcpNoDelay(true);
    HttpAsyncClientBuilder builder = HttpAsyncClients.custom()
        .setConnectionManager(connections)
        .setDefaultRequestConfig(RequestConfig.custom()
            .setResponseTimeout(readTimeout)
            .setConnectionRequestTimeout(connectTimeout)
            .setRedirectsEnabled(false)
            .build())
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableAutomaticRetries()
        .disableAuthCaching()
        .disableContentCompression()
        .evictExpiredConnections()
        .evictIdleConnections(TimeValue.ofMinutes(1))
        .setThreadFactory(new NamedDaemonThreads("llm-proxy-upstream-" + (proxy.isDirect() ? "direct" : proxy.kind().name().toLowerCase())));
    switch (proxy.kind()) {
      case HTTP, HTTPS -> {
        HttpHost proxyHost = new HttpHost(proxy.kind() == OutboundProxy.Kind.HTTPS ? "https" : "http",
            proxy.host(), proxy.port());
        builder.setProxy(proxyHost);
        if (proxy.username() != null) {
          BasicCredentialsProvider credentials = new BasicCredentialsProvider();
          credentials.setCredentials(new AuthScope(proxyHost),
              new UsernamePasswordCredentials(proxy.username(),
                  (proxy.password() == null ? "" : proxy.password()).toCharArray()));
          builder.setDefaultCredentialsProvider(credentials);
        }
      }
      case SOCKS5, SOCKS5H -> {
        reactor.setSocksProxyAddress(InetSocketAddress.createUnresolved(proxy.host(), proxy.port()));
        if (proxy.username() != null) {
          reactor.setSocksProxyUsername(proxy.username());
          reactor.setSocksProxyPassword(proxy.password() == null ? "" : proxy.password());
        }
      }
      default -> { }
    }
    builder.setIOReactorConfig(reactor.build());
    CloseableHttpAsyncClient client = builder.build();
    client.start();
    LOG.info("Started upstream connection pool for {}", proxy);
    return client;
  }

  /** Closes every client gracefully, waiting briefly for in-flight exchanges. */
  @Override
  public void close() {
    closed = true;
    for (CloseableHttpAsyncClient client : clients.values()) {
      client.close(CloseMode.GRACEFUL);
      try {
        client.awaitShutdown(TimeValue.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    clients.clear();
  }
}
