package dev.llmproxy.bootstrap;

import dev.llmproxy.config.ConfigException;
import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.SnapshotHolder;
import dev.llmproxy.upstream.ModelDiscovery;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code config.yaml} and installs the result as the current snapshot. A file that fails
 * validation leaves the running snapshot in place and logs every problem. Thread-safe (loads are
 * serialised; installing is an atomic swap).
 */
public final class ConfigReloader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

  private final Path file;
  private final ConfigLoader loader;
  private final SnapshotHolder holder;
  private final Clock clock;
  private final ModelDiscovery discovery;

  public ConfigReloader(Path file, ConfigLoader loader, SnapshotHolder holder, Clock clock, ModelDiscovery discovery) {
    this.file = file;
    this.loader = loader;
    this.holder = holder;
    this.clock = clock;
    this.discovery = discovery;
  }

  public Path file() {
    return file;
  }

  /** Loads and installs; returns false (and logs why) when the file is not usable. */
  public synchronized boolean reload() {
    try {
      GatewayConfig config = loader.load(file);
      install(config);
      return true;
    } catch (ConfigException e) {
      LOG.error("Configuration not applied: {}", e.getMessage());
      holder.failed(e.getMessage());
      return false;
    }
  }

  /** Installs an already validated config (management writes use this after persisting). */
  public synchronized void install(GatewayConfig config) {
    for (String warning : config.warnings()) {
      LOG.warn("{}: {}", file, warning);
    }
    holder.install(GatewaySnapshot.of(config, discovery.current(), clock.instant().getEpochSecond()));
    discovery.configure(config);
    logSummary(config);
  }

  private void logSummary(GatewayConfig config) {
    if (config.isOpenAccess()) {
      LOG.warn("*** api-keys is empty: the gateway is OPEN to anyone who can reach it ***");
    }
    LOG.info(StartupSummary.of(file, config, holder.current().table()));
  }
}
