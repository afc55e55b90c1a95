package dev.llmproxy.management;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a file so that a reader, or a crash at any instant, sees either the old or the new content
 * and never a mix: write a temp file in the same directory (keeping the old file's permissions),
 * fsync it, copy the old version to a second temp file, rename the temp file over the target, only then
 * rename the copy over {@code <name>.bak}, fsync the directory. A write that fails leaves both the file and
 * its backup as they were. A symlinked target is written where the link points. Callers serialise writes to
 * one file; {@link Faults} lets tests stop or fail the write at each step.
 */
final class AtomicFileWriter {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicFileWriter.class);

  /** The points at which a write can be interrupted, in order. */
  enum Step {
    /** Before the temp file exists. */
    CREATE_TEMP,
    /** Half of the new content is in the temp file. */
    WRITE,
    /** All content written, not yet forced to disk. */
    SYNC_TEMP,
    /** Before the old version is copied to the backup's temp file. */
    BACKUP,
    /** Before the temp file is renamed over the target. */
    REPLACE,
    /** The target is replaced; the old version's copy is not yet renamed over {@code .bak}. */
    KEEP_BACKUP,
    /** The target and its backup are replaced; the directory entries are not yet forced to disk. */
    SYNC_DIRECTORY
  }

  /** Hook called before each {@link Step}; throwing aborts the write there. */
  interface Faults {
    Faults NONE = step -> { };

    void before(Step step) throws IOException;
  }

  /** The file no longer holds what its writer read: someone (an editor) changed it meanwhile. Nothing was written. */
  static final class ChangedMeanwhileException extends IOException {
    ChangedMeanwhileException(Path file) {
      super(file + " changed while it was being rewritten");
    }
  }

  private final Faults faults;

  AtomicFileWriter() {
    this(Faults.NONE);
  }

  AtomicFileWriter(Faults faults) {
    this.faults = faults;
  }

  void write(Path file, String text) throws IOException {
    write(file, text, true, false, null);
  }

  /**
   * As {@link #write(Path, String)}, only if the file still holds {@code read} ({@code null}: it did not exist) right
   * before it is replaced: a hand edit saved while the caller worked on what it read is not overwritten. With
   * {@code backup} false, {@code .bak} is left as it was.
   *
   * @throws ChangedMeanwhileException when it changed; nothing was written
   */
  void writeIfUnchanged(Path file, String text, boolean backup, String read) throws IOException {
    write(file, text, backup, true, read);
  }

  private void write(Path file, String text, boolean backup, boolean unchangedOnly, String read) throws IOException {
    Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file.toAbsolutePath();
    Path dir = target.getParent();
    String name = target.getFileName().toString();
    deleteStaleTemps(dir, name);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    faults.before(Step.CREATE_TEMP);
    Path temp = Files.createTempFile(dir, "." + name + ".", ".tmp");
    Path oldCopy = null;
    boolean replaced = false;
    try {
      copyPermissions(target, temp);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        int half = bytes.length / 2;
        writeFully(channel, ByteBuffer.wrap(bytes, 0, half));
        faults.before(Step.WRITE);
        writeFully(channel, ByteBuffer.wrap(bytes, half, bytes.length - half));
        faults.before(Step.SYNC_TEMP);
        channel.force(true);
      }
      faults.before(Step.BACKUP);
      if (backup && Files.exists(target)) {
        oldCopy = copyOf(target, dir, name);
      }
      faults.before(Step.REPLACE);
      if (unchangedOnly && !holds(target, read)) {
        throw new ChangedMeanwhileException(file);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      replaced = true;
      if (oldCopy != null) {
        keepAsBackup(oldCopy, dir.resolve(name + ".bak"));
      }
      try {
        faults.before(Step.SYNC_DIRECTORY);
        syncDirectory(dir);
      } catch (IOException e) {
        // The new file is in place and readable; only its durability across a power cut is unsure.
        LOG.warn("{} replaced, but the directory could not be synced: {}", target, e.toString());
      }
    } finally {
      if (!replaced) {
        Files.deleteIfExists(temp);
      }
      if (oldCopy != null) {
        Files.deleteIfExists(oldCopy);
      }
    }
  }

  private static boolean holds(Path target, String read) throws IOException {
    try {
      return read != null && read.equals(Files.readString(target));
    } catch (java.nio.file.NoSuchFileException e) {
      return read == null;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false; // no longer the UTF-8 text that was read
    }
  }

  /**
   * A synced copy of {@code target} next to it, made before the target is replaced and renamed over {@code .bak}
   * only after: a write that fails before the rename must not have lost the previous backup.
   */
  private static Path copyOf(Path target, Path dir, String name) throws IOException {
    Path copy = Files.createTempFile(dir, "." + name + ".bak.", ".tmp");
    try {
      Files.copy(target, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      return copy;
    } catch (IOException e) {
      Files.deleteIfExists(copy);
      throw e;
    }
  }

  /** After the target was replaced: the write has succeeded, so a backup that cannot be kept is only logged. */
  private void keepAsBackup(Path oldCopy, Path backup) {
    try {
      faults.before(Step.KEEP_BACKUP);
      Files.move(oldCopy, backup, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("Saved, but the previous version could not be kept as {}: {}", backup, e.toString());
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Config files hold secrets: the new version must not be more readable than the old one. */
  private static void copyPermissions(Path from, Path to) throws IOException {
    if (!Files.exists(from)) {
      return;
    }
    PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
    if (view != null) {
      Set<PosixFilePermission> permissions = view.readAttributes().permissions();
      Files.setPosixFilePermissions(to, permissions);
    }
  }

  /** Makes the rename durable; some platforms cannot open a directory, where this is best effort. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("Cannot fsync directory {} on this platform: {}", dir, e.toString());
    }
  }

  /** Temp files left by a write that died half-way; writes are serialised, so any found now are stale. */
  private static void deleteStaleTemps(Path dir, String name) {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "." + name + ".*.tmp")) {
      for (Path stale : stream) {
        Files.deleteIfExists(stale);
      }
    } catch (IOException e) {
      LOG.debug("Cannot clean temp files in {}: {}", dir, e.toString());
    }
  }
}
