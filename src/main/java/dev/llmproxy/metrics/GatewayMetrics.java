package dev.llmproxy.metrics;

import dev.llmproxy.routing.Cooldowns;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The gateway's meters, from deploy to undeploy: a Prometheus registry (what {@code GET /metrics}
 * serves), optionally a JMX registry beside it, the JVM and process binders ({@code jvm_*},
 * {@code process_*}, {@code system_*}), {@code llmproxy_keys_cooling}, and the {@link RelayMetrics} the
 * data plane reports to. Nothing here touches Micrometer's static global registry, so two deployments in
 * one container keep apart and an undeploy leaves nothing behind: {@link #close()} removes the GC
 * listeners the JVM binder put on the platform MXBeans and unregisters the MBeans. Thread-safe.
 */
public final class GatewayMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry prometheus;
  private final JmxMeterRegistry jmx;
  private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final RelayMeters relay;
  /**
   * The suppliers behind function counters: Micrometer holds a function counter's object weakly (gauges can be
   * told otherwise, function counters cannot), and a method reference nobody else holds would be collected,
   * leaving the counter at NaN.
   */
  private final List<Object> countedSuppliers = new CopyOnWriteArrayList<>();

  /**
   * @param jmxDomain the MBean domain when JMX export is on ({@code llm-proxy}, plus the context path
   *     when there is one, so two deployments do not collide); {@code null} for no JMX export
   * @param cooldowns whose open windows {@code llmproxy_keys_cooling} counts
   */
  public GatewayMetrics(String jmxDomain, Cooldowns cooldowns) {
    prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    prometheus.config().pauseDetector(new NoPauseDetector());
    registry.add(prometheus);
    if (jmxDomain != null) {
      jmx = new JmxMeterRegistry(new JmxConfig() {
        @Override
        public String get(String key) {
          return null;
        }

        @Override
        public String domain() {
          return jmxDomain;
        }
      }, Clock.SYSTEM);
      jmx.config().pauseDetector(new NoPauseDetector());
      registry.add(jmx);
    } else {
      jmx = null;
    }
    // The JVM binders: jvm_*, process_* and system_* as every JVM dashboard expects them.
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new JvmCompilationMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Gauge.builder("llmproxy.keys.cooling", cooldowns, GatewayMetrics::coolingKeys)
        .description("Upstream keys resting now (the whole key or one of its models)")
        .strongReference(true)
        .register(registry);
    relay = new RelayMeters(registry);
  }

  /** What the data plane reports to. */
  public RelayMetrics relay() {
    return relay;
  }

  /** The registry every meter goes to (Prometheus, and JMX when on). */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Meters of the usage writer's queue: {@code llmproxy_usage_records_dropped_total} (a full queue drops)
   * and {@code llmproxy_usage_queue_depth}.
   */
  public void watchUsageQueue(LongSupplier dropped, IntSupplier depth) {
    countedSuppliers.add(dropped);
    FunctionCounter.builder("llmproxy.usage.records.dropped", dropped, LongSupplier::getAsLong)
        .description("Usage records dropped because the database writer's queue was full")
        .register(registry);
    Gauge.builder("llmproxy.usage.queue.depth", depth, IntSupplier::getAsInt)
        .description("Usage records waiting for the database writer")
        .strongReference(true)
        .register(registry);
  }

  /**
   * Meters of the requests the data plane holds open ({@code max-open-requests}):
   * {@code llmproxy_requests_open}, {@code llmproxy_requests_open_limit} and
   * {@code llmproxy_requests_refused_busy_total} (refused at once because the instance was full).
   */
  public void watchOpenRequests(IntSupplier open, IntSupplier limit, LongSupplier refused) {
    Gauge.builder("llmproxy.requests.open", open, IntSupplier::getAsInt)
        .description("Data-plane requests this instance holds open now, all providers together")
        .strongReference(true)
        .register(registry);
    Gauge.builder("llmproxy.requests.open.limit", limit, IntSupplier::getAsInt)
        .description("The most requests this instance holds open at once (max-open-requests)")
        .strongReference(true)
        .register(registry);
    countedSuppliers.add(refused);
    FunctionCounter.builder("llmproxy.requests.refused.busy", refused, LongSupplier::getAsLong)
        .description("Requests answered 503 gateway_busy at once because the instance held its limit of open ones")
        .register(registry);
  }

  /**
   * Meters of the budget for large buffers: {@code llmproxy_large_buffers_reserved_bytes} and
   * {@code llmproxy_large_buffers_capacity_bytes}.
   */
  public void watchLargeBuffers(LongSupplier reserved, LongSupplier capacity) {
    Gauge.builder("llmproxy.large.buffers.reserved", reserved, LongSupplier::getAsLong)
        .description("Bytes that request bodies, held answers and events past 1 MiB have reserved now")
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
    Gauge.builder("llmproxy.large.buffers.capacity", capacity, LongSupplier::getAsLong)
        .description("The most such buffers may reserve together (a third of the heap)")
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
  }

  /**
   * {@code llmproxy_upstream_connections}, by {@code state}: {@code leased} (carrying an exchange), {@code idle}
   * (kept alive for the next one) and {@code pending} (requests waiting for a connection).
   */
  public void watchUpstreamConnections(IntSupplier leased, IntSupplier idle, IntSupplier pending) {
    gaugeConnections("leased", leased);
    gaugeConnections("idle", idle);
    gaugeConnections("pending", pending);
  }

  private void gaugeConnections(String state, IntSupplier count) {
    Gauge.builder("llmproxy.upstream.connections", count, IntSupplier::getAsInt)
        .description("Upstream connections of the pooling clients (leased, idle), and requests pending for one")
        .tag("state", state)
        .strongReference(true)
        .register(registry);
  }

  /** The Prometheus text format (0.0.4) of every meter. */
  public String scrape() {
    return prometheus.scrape();
  }

  private static double coolingKeys(Cooldowns cooldowns) {
    Set<String> keys = new HashSet<>();
    for (Cooldowns.Active window : cooldowns.activeWindows()) {
      keys.add(window.credentialId());
    }
    return keys.size();
  }

  /** Removes the GC listeners, closes the registries (unregistering the MBeans). Idempotent. */
  @Override
  public void close() {
    gc.close();
    registry.close();
    prometheus.close();
    if (jmx != null) {
      jmx.close();
    }
  }
}
