package dev.llmproxy.config;

import java.time.Duration;

/**
 * {@code upstream:} transport settings (a gateway extension; CLIProxyAPI has none). Immutable.
 *
 * @param connectTimeout TCP (and proxy) connect timeout; default 10s; exceeded gives 504 or failover
 * @param readTimeout longest silence from the upstream, before headers or between chunks; default 300s
 * @param maxConnectionsPerRoute connection pool size per upstream host and proxy; default 1000
 * @param http2 speak HTTP/2 to upstreams: {@code negotiate} (ALPN on https, HTTP/1.1 on http), {@code force}
 *     (prior knowledge, also h2c on http; requests to a host multiplexed over {@code http2Connections}
 *     connections), {@code never}; default negotiate
 * @param http2Connections with {@code http2: force}, how many HTTP/2 connections (each with its own reactor
 *     thread) a route spreads its requests over; default the number of cores, at most 4 (every outbound
 *     route gets this many threads). One connection is one thread's work and one server-side stream limit
 * @param trustStore the certificates https upstreams must chain to, from {@code trust-store}; {@code null}
 *     (the default) means the JVM's default trust (its {@code cacerts}, or {@code javax.net.ssl.trustStore})
 * @param allowPrivateAddresses {@code allow-private-addresses}: whether upstreams may be at loopback, private
 *     and shared addresses (default true: self-hosted models live there); link-local and cloud metadata
 *     addresses are refused either way (see {@link UpstreamAddresses})
 */
public record UpstreamConfig(Duration connectTimeout, Duration readTimeout, int maxConnectionsPerRoute, Http2 http2,
    int http2Connections, UpstreamTrustStore trustStore, boolean allowPrivateAddresses) {

  public static final UpstreamConfig DEFAULT = new UpstreamConfig(Duration.ofSeconds(10), Duration.ofSeconds(300), 1000,
      Http2.NEGOTIATE, Math.min(4, Runtime.getRuntime().availableProcessors()), null, true);

  /** The addresses upstream connections (not outbound proxies) may go to. */
  public UpstreamAddresses addresses() {
    return new UpstreamAddresses(allowPrivateAddresses);
  }

  /** HTTP/2 policy toward upstreams. */
  public enum Http2 { NEGOTIATE, FORCE, NEVER }
}
