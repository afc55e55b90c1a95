package dev.llmproxy.config;

import java.time.Duration;

/**
 * {@code upstream:} transport settings (a gateway extension; CLIProxyAPI has none). Immutable.
 *
 * @param connectTimeout TCP (and proxy) connect timeout; default 10s; exceeded gives 504 or failover
 * @param readTimeout longest silence from the upstream, before headers or between chunks; default 300s
 * @param maxConnectionsPerRoute connection pool size per upstream host and proxy; default what one instance can
 *     hold under its open-file limit and in its heap (see {@link #defaultMaxConnections}), at least 100
 * @param poolWait how long a request waits for a connection of a full pool before the gateway answers 503
 *     {@code gateway_busy} (its own limit, never the upstream's fault: nothing cools); default 1s
 * @param http2 speak HTTP/2 to upstreams: {@code negotiate} (ALPN on https, HTTP/1.1 on http), {@code force}
 *     (prior knowledge, also h2c on http; requests to a host multiplexed over {@code http2Connections}
 *     connections), {@code never}; default negotiate
 * @param http2Connections with {@code http2: force}, how many HTTP/2 connections (each with its own reactor
 *     thread) a route spreads its requests over; default the number of cores, at most 4 (every outbound
 *     route gets this many threads). One connection is one thread's work and one server-side stream limit
 * @param trustStore the certificates https upstreams must chain to, from {@code trust-store}; {@code null}
 *     (the default) means the JVM's default trust (its {@code cacerts}, or {@code javax.net.ssl.trustStore})
 * @param firstEventTimeout {@code first-event-timeout}: longest wait, from the request leaving, for the first
 *     event of a stream (or the head of a JSON answer); SSE comments do not reset it, unlike {@code readTimeout},
 *     so an upstream that only ever sends {@code : ping} cannot hold a request for good. Generous by default
 *     (10m), as OpenRouter sends {@code : OPENROUTER PROCESSING} comments for as long as a model thinks. Exceeded
 *     it is a timeout: failover while nothing reached the client, else 504
 * @param maxDuration {@code max-duration}: the longest one client request may last, all attempts and waits
 *     together, however steadily the upstream sends; default 60m. Beyond it a stream ends with an error event and
 *     a JSON request gets 504
 * @param allowPrivateAddresses {@code allow-private-addresses}: whether upstreams may be at loopback, private
 *     and shared addresses (default true: self-hosted models live there); link-local and cloud metadata
 *     addresses are refused either way (see {@link UpstreamAddresses})
 */
public record UpstreamConfig(Duration connectTimeout, Duration readTimeout, int maxConnectionsPerRoute, Http2 http2,
    int http2Connections, UpstreamTrustStore trustStore, boolean allowPrivateAddresses, Duration poolWait,
    Duration firstEventTimeout, Duration maxDuration) {

  /**
   * The streams one instance can hold ({@link #defaultMaxConnections}): the default of each route's pool and of
   * {@code max-open-requests}, all routes together.
   */
  static final int CAPACITY = defaultMaxConnections(OpenFiles.limit(), Runtime.getRuntime().maxMemory());

  public static final UpstreamConfig DEFAULT = new UpstreamConfig(Duration.ofSeconds(10), Duration.ofSeconds(300),
      CAPACITY, Http2.NEGOTIATE, Math.min(4, Runtime.getRuntime().availableProcessors()), null, true,
      Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofMinutes(60));

  /**
   * The heap one open stream is planned at: Tomcat 10.1 with an HTTP/1.1 upstream holds ~160 KiB live per
   * stream (Jetty 12 ~65 KiB), and the collector needs room above what is live.
   */
  static final long HEAP_PER_STREAM = 256L * 1024;
  /** Heap left for everything but open streams (config, caches, the usage store; ~50 MiB live when idle). */
  static final long HEAP_RESERVE = 256L * 1024 * 1024;

  /**
   * The streams one instance can hold, the smaller of two limits: the default size of each route's pool, and of
   * the open requests of all routes together. Files: a stream to an HTTP/1.1 upstream costs two (the client's
   * connection and the upstream's), so half of what the open-file limit leaves after 1,000 for everything else
   * (20,000 → 9,500). Heap: what is left after {@link #HEAP_RESERVE} at
   * {@link #HEAP_PER_STREAM} each (-Xmx3g → 11,264; 1 GiB → 3,072), so a burst of streams meets 503
   * {@code gateway_busy} rather than an {@code OutOfMemoryError} that takes the whole container down (under
   * systemd the hard open-file limit is 524,288 and the JVM raises its own to it, where files alone would allow
   * 100,000). Never below 100, and no more than 100,000.
   *
   * @param openFileLimit {@code ulimit -n}, or -1 when the JVM cannot tell (then 1,000 for files)
   * @param maxHeapBytes {@code Runtime.maxMemory()}; {@code Long.MAX_VALUE} when the heap has no limit
   */
  static int defaultMaxConnections(long openFileLimit, long maxHeapBytes) {
    long byFiles = openFileLimit <= 0 ? 1000 : (openFileLimit - 1000) / 2;
    long byHeap = maxHeapBytes == Long.MAX_VALUE ? Long.MAX_VALUE : (maxHeapBytes - HEAP_RESERVE) / HEAP_PER_STREAM;
    return (int) Math.max(100, Math.min(100_000, Math.min(byFiles, byHeap)));
  }

  /** The addresses upstream connections (not outbound proxies) may go to. */
  public UpstreamAddresses addresses() {
    return new UpstreamAddresses(allowPrivateAddresses);
  }

  /** HTTP/2 policy toward upstreams. */
  public enum Http2 { NEGOTIATE, FORCE, NEVER }
}
