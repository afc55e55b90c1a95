package dev.llmproxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A WAR's content in a directory, unpacked once per JVM and WAR version (path, size and modification time), then
 * deployed by every gateway of the run: byte for byte what the container would unpack itself. The directory is
 * deleted when the JVM exits. Webapps only read it. Thread-safe.
 */
final class UnpackedWar {
  private static final Map<String, Path> UNPACKED = new ConcurrentHashMap<>();

  private UnpackedWar() {}

  /** The directory holding {@code war}'s content, unpacking it on first use. */
  static Path of(Path war) {
    try {
      Path absolute = war.toAbsolutePath();
      FileTime modified = Files.getLastModifiedTime(absolute);
      String version = absolute + "|" + Files.size(absolute) + "|" + modified.toMillis();
      return UNPACKED.computeIfAbsent(version, v -> unpack(absolute));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + war, e);
    }
  }

  private static Path unpack(Path war) {
    TempDirectory directory = TempDirectory.create("llm-proxy-war-");
    Path root = directory.path();
    Runtime.getRuntime().addShutdownHook(new Thread(directory::close, "llm-proxy-war-cleanup"));
    try (ZipFile zip = new ZipFile(war.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IllegalStateException(war + " holds an entry outside its root: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, target);
        }
      }
    } catch (IOException e) {
      directory.close();
      throw new UncheckedIOException("cannot unpack " + war, e);
    }
    return root;
  }
}
