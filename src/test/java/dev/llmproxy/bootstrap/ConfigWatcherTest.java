package dev.llmproxy.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.routing.SnapshotHolder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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

  /** Every config installed after the first, as {@code request-retry/max-retry-credentials}. */
  private final List<String> installed = new CopyOnWriteArrayList<>();

  private void start(Path file) throws Exception {
    ConfigReloader reloader = new ConfigReloader(file, new ConfigLoader(Map.<String, String>of()::get), holder,
        Clock.systemUTC(), () -> dev.llmproxy.routing.DiscoveredModels.NONE);
    reloader.reload();
    reloader.addInstallListener(c -> installed.add(c.requestRetry() + "/" + c.maxRetryCredentials()));
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
  void aFileWrittenInPlaceWithAPauseIsAppliedOnlyWhole() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "request-retry: 1\nmax-retry-credentials: 1\n");
    start(file);

    // A prefix that parses on its own, then the rest after a pause longer than the debounce, on one open file.
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap("request-retry: 2\n".getBytes(StandardCharsets.UTF_8)));
      Thread.sleep(ConfigWatcher.DEBOUNCE_MILLIS + 50);
      channel.write(ByteBuffer.wrap("max-retry-credentials: 2\n".getBytes(StandardCharsets.UTF_8)));
    }

    awaitTrue(() -> holder.current().config().maxRetryCredentials() == 2, "reload of the whole file");
    assertEquals(List.of("2/2"), installed, "the prefix alone was never applied");
  }

  @Test
  void aLinkToAFileOutsideTheDirectoryIsFollowedThereAndWhereverItIsPointedNext(@TempDir Path elsewhere)
      throws Exception {
    Path shared = Files.createDirectories(elsewhere.resolve("shared"));
    Path real = Files.writeString(shared.resolve("gateway.yaml"), "request-retry: 1\n");
    Path file = Files.createSymbolicLink(dir.resolve("config.yaml"), real);
    start(file);

    Files.writeString(real, "request-retry: 5\n");
    awaitTrue(() -> holder.current().config().requestRetry() == 5, "reload after an edit of the linked file");

    Path moved = Files.createDirectories(elsewhere.resolve("moved"));
    Path next = Files.writeString(moved.resolve("gateway.yaml"), "request-retry: 6\n");
    Path newLink = Files.createSymbolicLink(dir.resolve(".config.yaml.new"), next);
    Files.move(newLink, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    awaitTrue(() -> holder.current().config().requestRetry() == 6, "reload after the link was pointed elsewhere");

    Files.writeString(next, "request-retry: 7\n");
    awaitTrue(() -> holder.current().config().requestRetry() == 7, "reload after an edit where it points now");
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
