package dev.llmproxy.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.routing.SnapshotHolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
  @TempDir
  Path dir;

  private final SnapshotHolder holder = new SnapshotHolder();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private ConfigWatcher watcher;

  @AfterEach
  void stop() {
    watcher.close();
    scheduler.shutdownNow();
  }

  private void start(Path file) throws Exception {
    ConfigReloader reloader = new ConfigReloader(file, new ConfigLoader(Map.<String, String>of()::get), holder,
        Clock.systemUTC(), () -> dev.llmproxy.routing.DiscoveredModels.NONE);
    reloader.reload();
    watcher = new ConfigWatcher(reloader, scheduler);
    watcher.start();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    assertTrue(condition.getAsBoolean(), what + " within 5 s");
  }

  @Test
  void aFileReplacedByRenameIsReloaded() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "request-retry: 1\n");
    start(file);

    Path temp = Files.writeString(dir.resolve(".config.yaml.swp"), "request-retry: 2\n");
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);

    awaitTrue(() -> holder.current().config().requestRetry() == 2, "reload after rename");
  }

  @Test
  void aFileEditedInPlaceIsReloaded() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "request-retry: 1\n");
    start(file);

    Files.writeString(file, "request-retry: 3\n");

    awaitTrue(() -> holder.current().config().requestRetry() == 3, "reload after write");
  }

  @Test
  void aSwappedSymlinkTargetIsReloadedAsKubernetesConfigMapsDo() throws Exception {
    Path v1 = Files.createDirectories(dir.resolve("..v1"));
    Files.writeString(v1.resolve("config.yaml"), "request-retry: 1\n");
    Path data = Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
    Path file = Files.createSymbolicLink(dir.resolve("config.yaml"), Path.of("..data", "config.yaml"));
    start(file);
    assertEquals(1, holder.current().config().requestRetry());

    Path v2 = Files.createDirectories(dir.resolve("..v2"));
    Files.writeString(v2.resolve("config.yaml"), "request-retry: 4\n");
    Path newLink = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
    Files.move(newLink, data, StandardCopyOption.ATOMIC_MOVE);

    awaitTrue(() -> holder.current().config().requestRetry() == 4, "reload after the ..data swap");
  }

  @Test
  void aConfigDirectoryCreatedAfterStartIsLoadedAndWatched() throws Exception {
    Path later = dir.resolve("created-later");
    Path file = later.resolve("config.yaml");
    ConfigReloader reloader = new ConfigReloader(file, new ConfigLoader(Map.<String, String>of()::get), holder,
        Clock.systemUTC(), () -> dev.llmproxy.routing.DiscoveredModels.NONE);
    assertEquals(false, reloader.reload());
    watcher = new ConfigWatcher(reloader, scheduler, java.time.Duration.ofMillis(50));
    watcher.start();

    Files.createDirectories(later);
    Files.writeString(file, "request-retry: 5\n");
    awaitTrue(() -> holder.current() != null && holder.current().config().requestRetry() == 5, "load once it appears");

    Files.writeString(file, "request-retry: 6\n");
    awaitTrue(() -> holder.current().config().requestRetry() == 6, "then reload on change");
  }

  @Test
  void aConfigDirectoryThatGoesAwayIsWatchedAgainWhenItIsBack() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("mounted"));
    Path file = Files.writeString(sub.resolve("config.yaml"), "request-retry: 1\n");
    ConfigReloader reloader = new ConfigReloader(file, new ConfigLoader(Map.<String, String>of()::get), holder,
        Clock.systemUTC(), () -> dev.llmproxy.routing.DiscoveredModels.NONE);
    reloader.reload();
    watcher = new ConfigWatcher(reloader, scheduler, java.time.Duration.ofMillis(50));
    watcher.start();

    Files.delete(file);
    Files.delete(sub);
    Files.createDirectories(sub);
    Files.writeString(file, "request-retry: 7\n");

    awaitTrue(() -> holder.current().config().requestRetry() == 7, "reload once the directory is back");
  }
}
