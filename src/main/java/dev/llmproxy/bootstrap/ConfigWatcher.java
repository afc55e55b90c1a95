package dev.llmproxy.bootstrap;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the config when {@code config.yaml} changes on disk. Watches the directory, not the file, so
 * editors that save by writing a temp file and renaming it over the original are seen too; bursts of
 * events are debounced into one reload, made once the file's content holds still ({@link #reloadOnceSettled}).
 * Any change in the directory counts, not only events naming {@code config.yaml}: a Kubernetes ConfigMap swaps a
 * {@code ..data} symlink and never touches the {@code config.yaml} link itself. That is cheap because
 * {@link ConfigReloader#reload()} skips content that is already running (our own management writes included).
 *
 * <p>A directory that does not exist yet (created after the container started, or mounted later) is
 * looked for every {@link #DEFAULT_DIRECTORY_POLL}; once it appears it is watched and loaded, and if it
 * goes away the watcher waits for it again. Owns one daemon thread, stopped by {@link #close()}.
 */
final class ConfigWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
  static final long DEBOUNCE_MILLIS = 200;
  static final Duration DEFAULT_DIRECTORY_POLL = Duration.ofSeconds(2);

  private final ConfigReloader reloader;
  private final ScheduledExecutorService scheduler;
  private final Duration directoryPoll;
  private final Path dir;
  private final WatchService watchService;
  private final Thread thread;
  /** Registered in the constructor when the directory exists, so no change after construction is missed. */
  private final WatchKey initialKey;
  private ScheduledFuture<?> pending;
  /**
   * The directory outside {@link #dir} a linked {@code config.yaml} points into, and its key; set at construction,
   * then by the watcher thread.
   */
  private Path linkTarget;
  private WatchKey linkTargetKey;
  /** The file's content at the last look of a pending reload, which waits until two looks agree. */
  private byte[] lastLook;

  ConfigWatcher(ConfigReloader reloader, ScheduledExecutorService scheduler) throws IOException {
    this(reloader, scheduler, DEFAULT_DIRECTORY_POLL);
  }

  ConfigWatcher(ConfigReloader reloader, ScheduledExecutorService scheduler, Duration directoryPoll)
      throws IOException {
    this.reloader = reloader;
    this.scheduler = scheduler;
    this.directoryPoll = directoryPoll;
    this.dir = reloader.file().toAbsolutePath().getParent();
    this.watchService = FileSystems.getDefault().newWatchService();
    this.initialKey = register();
    if (initialKey == null) {
      LOG.info("Config directory {} does not exist (yet); it is loaded and watched once it appears", dir);
    } else {
      watchLinkTarget();
    }
    this.thread = new Thread(this::run, "llm-proxy-config-watcher");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      WatchKey key = initialKey;
      boolean missing = key == null;
      while (true) {
        if (key == null) {
          key = register();
        }
        if (key == null) {
          Thread.sleep(directoryPoll.toMillis());
          continue;
        }
        if (missing) {
          // Whatever was written before it was registered raised no event: load it now.
          LOG.info("Config directory {} appeared; watching it for changes", dir);
          watchLinkTarget();
          scheduleReload();
        }
        watch(key);
        key = null;
        missing = true;
        LOG.info("Config directory {} is gone; hot reload resumes when it is back", dir);
      }
    } catch (IOException e) {
      LOG.warn("Cannot watch {} for changes; hot reload is off: {}", dir, e.toString());
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    }
  }

  /** Watches until the directory goes away (its key becomes invalid). */
  private void watch(WatchKey key) throws InterruptedException {
    while (true) {
      WatchKey signalled = watchService.take();
      boolean relevant = !signalled.pollEvents().isEmpty();
      boolean valid = signalled.reset();
      if (relevant) {
        scheduleReload();
        watchLinkTarget();
      }
      if (!valid && signalled == key) {
        return;
      }
    }
  }

  /**
   * When {@code config.yaml} is a link to a file outside the config directory (a file kept with other
   * configuration, linked into place), that file's directory is watched too: an edit there raises no event in the
   * config directory. Followed again after each change, so a link pointed elsewhere is followed there. A link
   * within the directory (Kubernetes' {@code ..data}) needs nothing more.
   */
  private void watchLinkTarget() {
    try {
      Path target = reloader.file().toRealPath().getParent();
      if (target.startsWith(dir.toRealPath()) || target.equals(linkTarget)) {
        return;
      }
      WatchKey key = target.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
      if (linkTargetKey != null) {
        linkTargetKey.cancel();
      }
      linkTarget = target;
      linkTargetKey = key;
      LOG.info("{} links to a file in {}; watching that directory for changes too", reloader.file(), target);
    } catch (IOException e) {
      // No file (yet), or its directory cannot be watched: the config directory's own events still count.
    }
  }

  /** The directory's watch key; {@code null} while the directory does not exist. */
  private WatchKey register() throws IOException {
    try {
      return Files.isDirectory(dir) ? dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE) : null;
    } catch (NoSuchFileException e) {
      return null; // removed between the check and the registration
    }
  }

  private synchronized void scheduleReload() {
    if (pending != null) {
      pending.cancel(false);
    }
    pending = scheduler.schedule(this::reloadOnceSettled, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Reloads once two looks {@link #DEBOUNCE_MILLIS} apart find the same content. A writer that pauses between its
   * writes to the file itself (an editor saving in place, a script appending) raises no event in the pause, and a
   * prefix of a config often parses: read then, it had been applied, dropping every provider after the cut until
   * the rest arrived, or logged an error for a file nobody had finished.
   */
  private void reloadOnceSettled() {
    byte[] content;
    try {
      content = Files.readAllBytes(reloader.file());
    } catch (NoSuchFileException e) {
      return; // gone (a swap in progress, or removed): its next appearance raises an event
    } catch (IOException e) {
      content = null; // unreadable: the reload says why
    }
    synchronized (this) {
      if (content != null && !Arrays.equals(content, lastLook)) {
        lastLook = content;
        scheduleReload();
        return;
      }
      lastLook = null;
    }
    LOG.info("{} changed; reloading", reloader.file());
    reloader.reload();
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
