package dev.llmproxy.bootstrap;

import dev.llmproxy.config.ConfigException;
import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.management.ConfigInstaller;
import dev.llmproxy.routing.DiscoveredModels;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.SnapshotHolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code config.yaml} and installs the result as the current snapshot. A file that fails
 * validation leaves the running snapshot in place and logs every problem. A file whose content is the
 * one already running (for example the watcher seeing a management write) is not installed again.
 * Each config warning (a CLIProxyAPI key llm-proxy ignores) is logged once, at the first load that has it;
 * the summary only when it changed (hashing the management secret changes the file, not the summary); a
 * success after a failed load says the file is valid again.
 * Thread-safe: loads, installs and {@link #exclusively} sections hold this object's monitor, so a
 * reload can never install a file read before a newer management write.
 */
public final class ConfigReloader implements ConfigInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

  private final Path file;
  private final ConfigLoader loader;
  private final SnapshotHolder holder;
  private final Clock clock;
  private final Supplier<DiscoveredModels> discovered;
  private final List<Consumer<GatewayConfig>> installListeners = new CopyOnWriteArrayList<>();
  /** SHA-256 of the file text that produced the running snapshot; {@code null} when unknown. */
  private String appliedDigest;
  /** Warnings logged so far: an unimplemented key is named once, not again on every reload. */
  private final Set<String> warned = new HashSet<>();
  /** The last load of the file failed: the next success says so. */
  private boolean failing;
  /** The summary logged last: a new install with the same summary (a hashed secret) logs none. */
  private String loggedSummary;

  /**
   * @param discovered the model lists providers' upstreams last reported, built into every snapshot
   *     installed here (register the discovery itself as an {@link #addInstallListener install listener})
   */
  public ConfigReloader(Path file, ConfigLoader loader, SnapshotHolder holder, Clock clock,
      Supplier<DiscoveredModels> discovered) {
    this.file = file;
    this.loader = loader;
    this.holder = holder;
    this.clock = clock;
    this.discovered = discovered;
  }

  public Path file() {
    return file;
  }

  /** Loads and installs; returns false (and logs why) when the file is not usable. */
  public synchronized boolean reload() {
    try {
      String text = ConfigLoader.read(file);
      if (digest(text).equals(appliedDigest)) {
        LOG.debug("{} unchanged; nothing to reload", file);
        sayWhenValidAgain();
        return true;
      }
      Object tree = ConfigLoader.parseYaml(text, file.toString());
      GatewayConfig config = loader.bind(tree, file.toString(), file.toAbsolutePath().getParent());
      refuseOpeningByAccident(config, tree);
      install(config, text);
      return true;
    } catch (ConfigException e) {
      LOG.error("Configuration not applied: {}", e.getMessage());
      holder.failed(e.getMessage());
      failing = true;
      return false;
    }
  }

  /**
   * A reload that would open {@code /v1} to anyone where client keys guarded it is applied only when the file says so,
   * with {@code api-keys: []}: an empty file or one cut before its keys (an editor that truncates and then writes,
   * read in between) had opened the gateway until the next save.
   */
  private void refuseOpeningByAccident(GatewayConfig config, Object tree) throws ConfigException {
    GatewayConfig running = running();
    if (running == null || running.isOpenAccess() || !config.isOpenAccess()) {
      return;
    }
    if (tree instanceof Map<?, ?> root && root.get("api-keys") instanceof List<?> keys && keys.isEmpty()) {
      return; // said on purpose
    }
    throw new ConfigException(file.toString(), List.of("it has no api-keys (empty, or cut short while being saved?), "
        + "which would open /v1 to anyone; the running configuration keeps its keys. To open it on purpose, write "
        + "'api-keys: []'"));
  }

  /** After a file that could not be applied, one line saying that the current one is fine. */
  private void sayWhenValidAgain() {
    if (failing) {
      failing = false;
      LOG.info("{} is valid again; configuration applied", file);
    }
  }

  /** Installs an already validated config whose source text is unknown. */
  public synchronized void install(GatewayConfig config) {
    install(config, null);
  }

  /** Installs a config validated from {@code text} (management writes call this after persisting it). */
  @Override
  public synchronized void install(GatewayConfig config, String text) {
    for (String warning : config.warnings()) {
      if (warned.add(warning)) {
        LOG.warn("{}: {}", file, warning);
      }
    }
    // Built inside the atomic install: discovery publishing at the same moment cannot be lost.
    holder.install(() -> GatewaySnapshot.of(config, discovered.get(), clock.instant().getEpochSecond()));
    appliedDigest = text == null ? null : digest(text);
    sayWhenValidAgain();
    logSummary(config);
    for (Consumer<GatewayConfig> listener : installListeners) {
      listener.accept(config);
    }
  }

  @Override
  public GatewayConfig running() {
    GatewaySnapshot snapshot = holder.current();
    return snapshot == null ? null : snapshot.config();
  }

  @Override
  public synchronized boolean isRunning(String text) {
    return digest(text).equals(appliedDigest);
  }

  @Override
  public synchronized <T> T exclusively(Supplier<T> action) {
    return action.get();
  }

  /** Called, under this object's monitor, after every install; listeners must not block for long. */
  public void addInstallListener(Consumer<GatewayConfig> listener) {
    installListeners.add(listener);
  }

  private static String digest(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private void logSummary(GatewayConfig config) {
    String summary = StartupSummary.of(file, config, holder.current().table());
    if (summary.equals(loggedSummary)) {
      LOG.debug("{} applied; the summary is unchanged", file);
      return;
    }
    if (config.isOpenAccess()) {
      LOG.warn("*** api-keys is empty: the gateway is OPEN to anyone who can reach it ***");
    }
    LOG.info(summary);
    loggedSummary = summary;
  }
}
