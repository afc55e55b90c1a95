package dev.llmproxy.bootstrap;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the config when {@code config.yaml} changes on disk. Watches the directory, not the file, so
 * editors that save by writing a temp file and renaming it over the original are seen too; bursts of
 * events are debounced into one reload. Any change in the directory counts, not only events naming
 * {@code config.yaml}: a Kubernetes ConfigMap swaps a {@code ..data} symlink and never touches the
 * {@code config.yaml} link itself. That is cheap because {@link ConfigReloader#reload()} skips content
 * that is already running (our own management writes included). Owns one daemon thread, stopped by
 * {@link #close()}.
 */
final class ConfigWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
  static final long DEBOUNCE_MILLIS = 200;

  private final ConfigReloader reloader;
  private final ScheduledExecutorService scheduler;
  private final WatchService watchService;
  private final Thread thread;
  private ScheduledFuture<?> pending;

  ConfigWatcher(ConfigReloader reloader, ScheduledExecutorService scheduler) throws IOException {
    this.reloader = reloader;
    this.scheduler = scheduler;
    Path dir = reloader.file().toAbsolutePath().getParent();
    this.watchService = FileSystems.getDefault().newWatchService();
    dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    this.thread = new Thread(this::run, "llm-proxy-config-watcher");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = watchService.take();
        boolean relevant = !key.pollEvents().isEmpty();
        key.reset();
        if (relevant) {
          scheduleReload();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    }
  }

  private synchronized void scheduleReload() {
    if (pending != null) {
      pending.cancel(false);
    }
    pending = scheduler.schedule(() -> {
      if (java.nio.file.Files.exists(reloader.file())) {
        LOG.info("{} changed; reloading", reloader.file());
        reloader.reload();
      }
    }, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    try {
      watchService.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
