package dev.llmproxy.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.testing.LogCapture;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.SnapshotHolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloaderTest {
  @TempDir
  Path dir;

  private final SnapshotHolder holder = new SnapshotHolder();

  private ConfigReloader reloader(Path file) {
    return new ConfigReloader(file, new ConfigLoader(Map.<String, String>of()::get), holder, Clock.systemUTC(), () -> dev.llmproxy.routing.DiscoveredModels.NONE);
  }

  @Test
  void reloadingContentThatIsAlreadyRunningInstallsNothing() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "debug: true\n");
    ConfigReloader reloader = reloader(file);
    assertTrue(reloader.reload());
    GatewaySnapshot first = holder.current();

    assertTrue(reloader.reload());

    assertSame(first, holder.current());
  }

  @Test
  void theRunningConfigIsTheLastOneInstalledAndStaysWhenAFileIsInvalid() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "debug: perhaps\n");
    ConfigReloader reloader = reloader(file);
    reloader.reload();
    assertNull(reloader.running(), "nothing could be loaded");

    Files.writeString(file, "debug: true\n");
    reloader.reload();
    Files.writeString(file, "debug: perhaps\n");
    reloader.reload();

    assertTrue(reloader.running().debug());
  }

  @Test
  void anEmptiedOrCutFileNeverOpensAGatewayThatHadKeysButApiKeysEmptyOnPurposeDoes() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "api-keys: [team-key-0001]\ndebug: true\n");
    ConfigReloader reloader = reloader(file);
    assertTrue(reloader.reload());

    Files.writeString(file, ""); // an editor that truncates first, read before it writes
    assertFalse(reloader.reload());
    Files.writeString(file, "debug: true\n"); // or cut before its keys
    assertFalse(reloader.reload());
    assertFalse(reloader.running().isOpenAccess(), "the keys still guard /v1");

    Files.writeString(file, "api-keys: []\ndebug: true\n");
    assertTrue(reloader.reload());
    assertTrue(reloader.running().isOpenAccess(), "said on purpose");
  }

  @Test
  void aGatewayStartedWithoutKeysIsOpenAsDocumented() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "");
    ConfigReloader reloader = reloader(file);

    assertTrue(reloader.reload());

    assertTrue(reloader.running().isOpenAccess());
  }

  @Test
  void contentInstalledByManagementIsNotInstalledAgainByTheWatcher() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "debug: true\n");
    ConfigReloader reloader = reloader(file);
    reloader.reload();
    String text = "debug: false\n";
    Files.writeString(file, text);
    reloader.install(new ConfigLoader(Map.<String, String>of()::get).parse(text, "t"), text);
    GatewaySnapshot installed = holder.current();

    reloader.reload();

    assertSame(installed, holder.current());
  }

  @Test
  void anInvalidFileKeepsTheRunningConfigAndAFixedOneIsPickedUp() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "debug: true\n");
    ConfigReloader reloader = reloader(file);
    reloader.reload();
    GatewaySnapshot good = holder.current();

    Files.writeString(file, "debug: perhaps\n");
    assertFalse(reloader.reload());
    assertSame(good, holder.current());

    Files.writeString(file, "debug: false\n");
    assertTrue(reloader.reload());
    assertNotSame(good, holder.current());
    assertEquals(false, holder.current().config().debug());
  }

  @Test
  void eachWarningIsLoggedOnceNotOnEveryReload() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "codex: {}\ndebug: true\n");
    ConfigReloader reloader = reloader(file);
    try (LogCapture log = new LogCapture()) {
      assertTrue(reloader.reload());
      Files.writeString(file, "codex: {}\ndebug: false\nxai: {}\n");
      assertTrue(reloader.reload());
      assertEquals(false, holder.current().config().debug());

      List<String> warnings = log.lines().stream().filter(l -> l.contains("is not supported by llm-proxy")).toList();
      assertEquals(2, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("codex: is not supported"), warnings.get(0));
      assertTrue(warnings.get(1).contains("xai: is not supported"), warnings.get(1));
    }
  }

  @Test
  void theSummaryIsLoggedOnceWhenOnlyTheFileChangedAndAgainWhenItChanges() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "api-keys: [k1]\n");
    ConfigReloader reloader = reloader(file);
    try (LogCapture log = new LogCapture()) {
      reloader.reload();
      String hashedLater = "# the secret was hashed\napi-keys: [k1]\n";
      reloader.install(new ConfigLoader(Map.<String, String>of()::get).parse(hashedLater, "t"), hashedLater);
      Files.writeString(file, "api-keys: [k1, k2]\n");
      reloader.reload();

      List<String> summaries = log.lines().stream().filter(l -> l.contains("Configuration loaded from")).toList();
      assertEquals(2, summaries.size(), summaries.toString());
      assertTrue(summaries.get(1).contains("clients: 2 api-key(s)"), summaries.get(1));
    }
  }

  @Test
  void aFixedFileIsSaidToBeValidAgain() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "debug: true\n");
    ConfigReloader reloader = reloader(file);
    reloader.reload();
    try (LogCapture log = new LogCapture()) {
      Files.writeString(file, "debug: perhaps\n");
      assertFalse(reloader.reload());
      Files.writeString(file, "debug: true\n"); // back to exactly what is running
      assertTrue(reloader.reload());
      Files.writeString(file, "debug: perhaps\n");
      reloader.reload();
      Files.writeString(file, "debug: false\n");
      reloader.reload();
      reloader.reload();

      List<String> again = log.lines().stream().filter(l -> l.contains("is valid again")).toList();
      assertEquals(2, again.size(), log.lines().toString());
      assertTrue(again.get(0).contains(file + " is valid again; configuration applied"), again.get(0));
    }
  }
}
