package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AtomicFileWriterTest {
  private static final String OLD = "api-keys:\n  - old-key   # comment\n".repeat(200);
  private static final String NEW = "api-keys:\n  - new-key   # comment\n".repeat(300);
  private static final String OLDER = "api-keys:\n  - older-key\n";

  @TempDir
  Path dir;

  /** A writer whose rename at {@code step} is refused. */
  private static AtomicFileWriter failingAt(AtomicFileWriter.Step step) {
    return new AtomicFileWriter(s -> {
      if (s == step) {
        throw new IOException("rename refused");
      }
    });
  }

  private void assertOnlyTheFileAndItsBackup() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(2, files.count(), "no temp file left behind");
    }
  }

  private Path target() throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, OLD);
    return file;
  }

  /**
   * Freezes the write at {@code step}, as a crash there would, and records what a reader (or the next
   * start) finds at that instant; then aborts the write.
   */
  @ParameterizedTest
  @EnumSource(AtomicFileWriter.Step.class)
  void aWriteInterruptedAtAnyStepLeavesTheOldOrTheNewFileNeverAPartialOne(AtomicFileWriter.Step step) throws IOException {
    Path file = target();
    AtomicReference<String> seenAtCrash = new AtomicReference<>();
    AtomicFileWriter writer = new AtomicFileWriter(s -> {
      if (s == step) {
        seenAtCrash.set(Files.readString(file));
        throw new IOException("simulated crash at " + s);
      }
    });

    boolean afterRename = step.compareTo(AtomicFileWriter.Step.REPLACE) > 0;
    if (afterRename) {
      writer.write(file, NEW);
    } else {
      assertThrows(IOException.class, () -> writer.write(file, NEW));
    }

    assertTrue(List.of(OLD, NEW).contains(seenAtCrash.get()), "partial file visible at " + step);
    assertEquals(afterRename ? NEW : OLD, Files.readString(file));
    Path bak = dir.resolve("config.yaml.bak");
    assertTrue(!Files.exists(bak) || Files.readString(bak).equals(OLD), "backup is the complete old file");
  }

  @Test
  void aSuccessfulWriteReplacesTheFileAndKeepsThePreviousVersionAsBak() throws IOException {
    Path file = target();

    new AtomicFileWriter().write(file, NEW);

    assertEquals(NEW, Files.readString(file));
    assertEquals(OLD, Files.readString(dir.resolve("config.yaml.bak")));
    assertOnlyTheFileAndItsBackup();
  }

  @Test
  void aRenameThatFailsKeepsThePreviousBackup() throws IOException {
    Path file = target();
    Path bak = Files.writeString(dir.resolve("config.yaml.bak"), OLDER);
    AtomicFileWriter writer = failingAt(AtomicFileWriter.Step.REPLACE);

    assertThrows(IOException.class, () -> writer.write(file, NEW));

    assertEquals(OLD, Files.readString(file));
    assertEquals(OLDER, Files.readString(bak), "the backup changes only with the file");
    assertOnlyTheFileAndItsBackup();
  }

  @Test
  void aBackupThatCannotBeKeptAfterTheRenameLeavesTheWriteDoneAndThePreviousBackup() throws IOException {
    Path file = target();
    Path bak = Files.writeString(dir.resolve("config.yaml.bak"), OLDER);
    AtomicFileWriter writer = failingAt(AtomicFileWriter.Step.KEEP_BACKUP);

    writer.write(file, NEW);

    assertEquals(NEW, Files.readString(file));
    assertEquals(OLDER, Files.readString(bak));
    assertOnlyTheFileAndItsBackup();
  }

  @Test
  void tempFilesLeftByACrashedWriteAreRemovedByTheNextWrite() throws IOException {
    Path file = target();
    Path stale = Files.writeString(dir.resolve(".config.yaml.12345.tmp"), "half a fi");

    new AtomicFileWriter().write(file, NEW);

    assertFalse(Files.exists(stale));
  }

  @Test
  void theNewFileKeepsTheOldFilesPermissions() throws IOException {
    Path file = target();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    new AtomicFileWriter().write(file, NEW);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void aSymlinkedFileIsWrittenWhereTheLinkPoints() throws IOException {
    Path real = Files.createDirectories(dir.resolve("data")).resolve("config.yaml");
    Files.writeString(real, OLD);
    Path link = Files.createSymbolicLink(dir.resolve("config.yaml"), real);

    new AtomicFileWriter().write(link, NEW);

    assertTrue(Files.isSymbolicLink(link), "the link is kept");
    assertEquals(NEW, Files.readString(real));
  }
}
