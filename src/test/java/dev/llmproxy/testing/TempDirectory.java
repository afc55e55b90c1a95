package dev.llmproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory owned by one harness component, deleted with its contents on {@link #close()}.
 *
 * <p>Thread-safe as far as the file system is; {@link #writeAtomically} never exposes a half-written file.
 */
final class TempDirectory implements AutoCloseable {

  private final Path path;
  private final boolean deleteOnClose;

  private TempDirectory(Path path, boolean deleteOnClose) {
    this.path = path;
    this.deleteOnClose = deleteOnClose;
  }

  /** Creates a fresh directory under {@code java.io.tmpdir} whose name starts with {@code prefix}. */
  static TempDirectory create(String prefix) {
    try {
      return new TempDirectory(Files.createTempDirectory(prefix), true);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory", e);
    }
  }

  /** A directory the test owns (it prepares and inspects it): written to like ours, never deleted. */
  static TempDirectory borrowed(Path existing) {
    return new TempDirectory(existing, false);
  }

  Path path() {
    return path;
  }

  /** Writes {@code fileName} by writing a sibling first and renaming it over the target. Returns the file. */
  Path writeAtomically(String fileName, String text) {
    Path target = path.resolve(fileName);
    try {
      Path temp = Files.createTempFile(path, fileName, ".tmp");
      Files.writeString(temp, text);
      return Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target, e);
    }
  }

  /** Deletes the directory and everything in it; a file that cannot be deleted is left behind silently. */
  @Override
  public void close() {
    if (!deleteOnClose || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A leftover temporary directory is harmless.
    }
  }
}
