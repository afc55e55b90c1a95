package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.UsageConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageStoreFactoryTest {
  @TempDir
  Path dir;

  @Test
  void anEmbeddedDatabaseAnotherProcessHoldsIsWrittenOnceItIsFreeNotSwappedForMemory() throws Exception {
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), H2FileHolder.class.getName(), dir.resolve("usage").toString())
        .redirectErrorStream(true).start();
    try {
      BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("holding", said.readLine());
      UsageRecord record = UsageRecord.of(Instant.now(), "key team-a", "m", "p", "up-m", "openai",
          "/v1/chat/completions", RequestOutcome.SUCCEEDED, 200, null, 5, 0, false);

      try (UsageStore store = UsageStoreFactory.open(UsageConfig.DEFAULT, dir)) {
        assertInstanceOf(JdbcUsageStore.class, store);
        assertThrows(RuntimeException.class, () -> {
          store.prepare();
          store.append(List.of(record));
        });

        holder.getOutputStream().close();
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        prepareWithin(store, Duration.ofSeconds(30));
        store.append(List.of(record));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertEquals(1, store.report(today, today, UsageGrouping.CLIENT).totals().requests());
      }
    } finally {
      holder.destroyForcibly();
    }
  }

  /**
   * Prepares {@code store} as the usage writer does, trying again until it works: the pool's attempts to connect back
   * off (up to seconds apart) while the file is held, so the first one after it is freed may come after one
   * attempt's timeout.
   */
  private static void prepareWithin(UsageStore store, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        store.prepare();
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  @Test
  void aDataDirectoryTheGatewayCreatesIsClosedToOtherUsers() throws Exception {
    Path data = dir.resolve("conf").resolve("data");
    try (UsageStore store = UsageStoreFactory.open(UsageConfig.DEFAULT, data)) {
      assertInstanceOf(JdbcUsageStore.class, store);
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(data);
      assertTrue(permissions.contains(PosixFilePermission.OWNER_WRITE), permissions.toString());
      assertTrue(permissions.stream().noneMatch(p -> p.name().startsWith("OTHERS")), permissions.toString());
    }
  }

  @Test
  void onlyTheDatabaseBeingHeldElsewhereIsWaitedFor() {
    assertTrue(UsageStoreFactory.heldByAnotherProcess(new RuntimeException("pool",
        new java.sql.SQLException("Database may be already in use", "90020", 90020))));
    assertEquals(false, UsageStoreFactory.heldByAnotherProcess(new RuntimeException("pool",
        new java.sql.SQLException("Wrong user name or password", "28000", 28000))));
  }
}
