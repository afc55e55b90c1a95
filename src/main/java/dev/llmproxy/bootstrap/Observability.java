package dev.llmproxy.bootstrap;

import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.config.MetricsConfig;
import dev.llmproxy.config.UsageConfig;
import dev.llmproxy.metrics.GatewayMetrics;
import dev.llmproxy.routing.Cooldowns;
import dev.llmproxy.usage.MemoryUsageStore;
import dev.llmproxy.usage.UsageCounters;
import dev.llmproxy.usage.UsageRecorder;
import dev.llmproxy.usage.UsageStore;
import dev.llmproxy.usage.UsageStoreFactory;
import dev.llmproxy.usage.UsageWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics registry and the usage pipeline (live counters, writer, durable store) of one deployment,
 * built from the config at startup and closed at undeploy in the order that loses least: the writer
 * first (it flushes into the store), then the store (its pool), then the meters. {@code usage.*} and
 * {@code metrics.jmx} are startup settings: a reload that changes them is logged as needing a restart.
 */
final class Observability implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Observability.class);
  /** How long undeploy may spend writing the usage records still queued. */
  static final Duration FLUSH_AT_SHUTDOWN = Duration.ofSeconds(5);

  private final UsageConfig usageConfig;
  private final boolean jmx;
  private final GatewayMetrics metrics;
  private final UsageCounters counters;
  private final UsageStore store;
  private final UsageWriter writer;
  private final UsageRecorder recorder;

  /**
   * @param config the config loaded at startup, or {@code null} when none loaded (defaults apply)
   * @param dataDirectory where the embedded usage database lives, or {@code null}
   * @param contextPath the deployment's context path, which names its JMX domain
   * @param counters the live usage counters (the shared state's: the fleet's with Redis); owned by the caller
   */
  Observability(GatewayConfig config, Path dataDirectory, String contextPath, Cooldowns cooldowns,
      UsageCounters counters) {
    this.usageConfig = config == null ? UsageConfig.DEFAULT : config.usage();
    MetricsConfig metricsConfig = config == null ? MetricsConfig.DEFAULT : config.metrics();
    this.jmx = metricsConfig.jmx();
    this.metrics = new GatewayMetrics(jmx ? "llm-proxy" + (contextPath == null ? "" : contextPath) : null, cooldowns);
    this.counters = counters;
    this.store = UsageStoreFactory.open(usageConfig, dataDirectory);
    this.writer = new UsageWriter(store, usageConfig.queueCapacity(), FLUSH_AT_SHUTDOWN);
    this.recorder = new UsageRecorder(counters, writer);
    metrics.watchUsageQueue(writer::dropped, writer::unwritten);
    LOG.info("Usage records go to {}", store.describe());
  }

  /** Says which changed startup settings wait for a restart. An install listener of the reloader. */
  void onReload(GatewayConfig config) {
    if (!config.usage().equals(usageConfig)) {
      LOG.warn("usage settings changed; they take effect when the gateway restarts (usage records still go to {})",
          store.describe());
    }
    if (config.metrics().jmx() != jmx) {
      LOG.warn("metrics.jmx changed; it takes effect when the gateway restarts");
    }
  }

  /**
   * Where usage records stand, for {@code /healthz}: {@code database} (written), {@code failing} (the database
   * refuses them or does not answer; they wait in the queue) or {@code memory} (no durable store).
   */
  String usageState() {
    if (store instanceof MemoryUsageStore) {
      return "memory";
    }
    return writer.failing() ? "failing" : "database";
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  UsageCounters counters() {
    return counters;
  }

  UsageStore store() {
    return store;
  }

  UsageWriter writer() {
    return writer;
  }

  UsageRecorder recorder() {
    return recorder;
  }

  @Override
  public void close() {
    writer.close();
    store.close();
    metrics.close();
  }
}
