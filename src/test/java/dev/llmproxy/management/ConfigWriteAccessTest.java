package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWriteAccessTest {
  @TempDir
  Path dir;

  @Test
  void aWritableDirectoryHasNoProblem() {
    assertNull(new ConfigWriteAccess().problem(dir.resolve("config.yaml")));
  }

  @Test
  void aFileItsOwnerMayNotWriteIsReadOnlyInAWritableDirectoryAndForRootToo() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "debug: true\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));

    String problem = new ConfigWriteAccess(path -> true, Map.of("user.name", "root")::get).problem(file);

    String real = file.toRealPath().toString();
    assertEquals(real + " is read-only (r--r--r--), so management does not save it. To allow management writes, "
        + "run: chmod u+w " + real, problem);
  }

  @Test
  void aFileTheOwnerMayWriteHasNoProblem() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "debug: true\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

    assertNull(new ConfigWriteAccess().problem(file));
  }

  @Test
  void theDirectoryNamedIsWhereASymlinkedConfigReallyLives() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc/tomcat10/llm-proxy"));
    Files.writeString(etc.resolve("config.yaml"), "debug: true\n");
    Path base = Files.createDirectories(dir.resolve("var/lib/tomcat10"));
    Files.createSymbolicLink(base.resolve("conf"), etc.getParent());
    ConfigWriteAccess access = new ConfigWriteAccess(path -> false,
        Map.of("user.name", "tomcat", "catalina.base", base.toString())::get);

    String problem = access.problem(base.resolve("conf/llm-proxy/config.yaml"));

    String real = etc.toRealPath().toString();
    assertTrue(problem.startsWith(real + " is not writable by user 'tomcat'"), problem);
    assertTrue(problem.contains("sudo chown -R tomcat: " + real + " ;"), problem);
    assertTrue(problem.contains("'ReadWritePaths=" + real + "/'"), problem);
    assertTrue(problem.contains("'sudo systemctl restart tomcat10'"), problem);
  }

  @Test
  void outsideDebiansTomcatTheServiceIsLeftToTheOperator() {
    ConfigWriteAccess access = new ConfigWriteAccess(path -> false, Map.of("user.name", "jetty")::get);

    String problem = access.problem(dir.resolve("config.yaml"));

    assertTrue(problem.contains("'sudo systemctl edit <service>'"), problem);
    assertEquals(-1, problem.indexOf("tomcat"), problem);
  }
}
