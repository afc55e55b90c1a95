package dev.llmproxy.management;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Whether the management API can save {@code config.yaml} where it lives, and if not, exactly what the
 * operator runs so it can. A save writes a temp file next to the file and renames it over it, keeping
 * {@code config.yaml.bak}, so what must be writable is the file's directory (where a symlink points, as
 * for a Kubernetes ConfigMap). The usual cause is Debian's Tomcat: {@code sudo cp} leaves the directory
 * owned by root, and the {@code tomcat10} systemd unit makes {@code /etc} read-only except for its
 * {@code ReadWritePaths}. A file whose owner may not write it ({@code chmod 444}) is read-only too, by the
 * operator's choice, even though the rename could replace it. Stateless.
 */
public final class ConfigWriteAccess {
  private static final Pattern TOMCAT_SERVICE = Pattern.compile("tomcat\\d*");

  private final Predicate<Path> writable;
  private final Function<String, String> systemProperty;

  public ConfigWriteAccess() {
    this(Files::isWritable, System::getProperty);
  }

  ConfigWriteAccess(Predicate<Path> writable, Function<String, String> systemProperty) {
    this.writable = writable;
    this.systemProperty = systemProperty;
  }

  /** What keeps {@code file} from being saved, with the commands that fix it; {@code null} when it can be. */
  public String problem(Path file) {
    String readOnlyFile = readOnlyFileProblem(file);
    if (readOnlyFile != null) {
      return readOnlyFile;
    }
    Path dir = directoryOf(file);
    if (dir == null || (Files.isDirectory(dir) && writable.test(dir))) {
      return null;
    }
    String user = systemProperty.apply("user.name");
    String service = serviceName();
    return dir + " is not writable by user '" + user + "', so management cannot save config.yaml. Run: sudo chown -R "
        + user + ": " + dir + " ; under systemd (Debian's " + service + " unit keeps /etc read-only) also run "
        + "'sudo systemctl edit " + service + "', add the line 'ReadWritePaths=" + dir + "/' under [Service], then "
        + "'sudo systemctl restart " + service + "'";
  }

  /**
   * The mode bits, not {@link Files#isWritable}: root may write any file, and the save's rename needs only
   * the directory, so neither would notice a file the operator made read-only. A missing file has no mode to keep.
   */
  private static String readOnlyFileProblem(Path file) {
    try {
      Path target = file.toRealPath();
      PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
      if (view == null) {
        return Files.isWritable(target) ? null : target + " is read-only, so management does not save it. To allow "
            + "management writes, clear its read-only attribute";
      }
      Set<PosixFilePermission> permissions = view.readAttributes().permissions();
      if (permissions.contains(PosixFilePermission.OWNER_WRITE)) {
        return null;
      }
      return target + " is read-only (" + PosixFilePermissions.toString(permissions) + "), so management does not "
          + "save it. To allow management writes, run: chmod u+w " + target;
    } catch (IOException e) {
      return null;
    }
  }

  /** The real directory a save writes into: symlinks resolved, as Debian's /var/lib/tomcat10/conf is one. */
  private static Path directoryOf(Path file) {
    try {
      Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file.toAbsolutePath();
      Path dir = target.getParent();
      return dir == null ? null : Files.exists(dir) ? dir.toRealPath() : dir;
    } catch (IOException e) {
      return file.toAbsolutePath().getParent();
    }
  }

  /** Debian names the unit after {@code CATALINA_BASE} ({@code /var/lib/tomcat10}); elsewhere a placeholder. */
  private String serviceName() {
    String base = systemProperty.apply("catalina.base");
    Path name = base == null ? null : Path.of(base).getFileName();
    return name != null && TOMCAT_SERVICE.matcher(name.toString()).matches() ? name.toString() : "<service>";
  }
}
