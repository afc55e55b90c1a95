package dev.llmproxy.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.jar.JarFile;

/**
 * Which Tomcat a base is laid out from: its home (the jars {@code Bootstrap} starts with), the folder
 * its default {@code web.xml}, {@code context.xml}, {@code catalina.properties} and {@code logging.properties}
 * are copied from, and how the report names it.
 *
 * <ul>
 *   <li>{@code tomcat10}, {@code tomcat11}: the official distribution the integration tests unpack
 *   ({@code target/containers/apache-tomcat-*}), its own {@code conf};
 *   <li>{@code tomcat10-debian}: Debian's packaged Tomcat 10.1, what most users deploy on, as the {@code tomcat10}
 *   package installs it ({@code run.sh} and {@code .ci/run} do): home {@code /usr/share/tomcat10}, configuration
 *   templates in its {@code etc}, the same the integration tests' {@code TomcatProcess.debian} lays out from.
 * </ul>
 */
record TomcatDistribution(Path home, Path conf, String description) {
  static final String DEBIAN = "tomcat10-debian";
  static final Path DEBIAN_HOME = Path.of("/usr/share/tomcat10");

  static TomcatDistribution of(Path containersDir, String container) throws IOException {
    if (container.equals(DEBIAN)) {
      return debian();
    }
    Path home = official(containersDir, container);
    return new TomcatDistribution(home, home.resolve("conf"), serverInfo(home) + " (official distribution)");
  }

  private static TomcatDistribution debian() throws IOException {
    Path conf = DEBIAN_HOME.resolve("etc");
    if (!Files.isRegularFile(DEBIAN_HOME.resolve("bin/bootstrap.jar"))
        || !Files.isRegularFile(conf.resolve("web.xml"))) {
      throw new IOException("Debian's Tomcat 10.1 is not there (" + DEBIAN_HOME + ", " + conf + "); bench/run.sh "
          + "installs the tomcat10 package when BENCH_OPTS names -Dbench.container=" + DEBIAN);
    }
    return new TomcatDistribution(DEBIAN_HOME, conf, serverInfo(DEBIAN_HOME) + ", Debian's package in " + DEBIAN_HOME);
  }

  /** The distribution of {@code tomcat10} or {@code tomcat11}; fails with the command that unpacks it. */
  private static Path official(Path containersDir, String container) throws IOException {
    String prefix = "apache-tomcat-" + container.substring("tomcat".length()) + ".";
    try (var dirs = Files.list(containersDir)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith(prefix)).sorted().reduce((a, b) -> b)
          .orElseThrow();
    } catch (IOException | RuntimeException e) {
      throw new IOException("no " + prefix + "* in " + containersDir + "; unpack it with: mvn -f pom.xml "
          + "dependency:unpack@unpack-containers", e);
    }
  }

  /** What the Tomcat itself says it is ({@code Apache Tomcat/10.1.60 (Debian)}), from its catalina.jar. */
  private static String serverInfo(Path home) throws IOException {
    try (JarFile jar = new JarFile(home.resolve("lib/catalina.jar").toFile());
        InputStream in = jar.getInputStream(jar.getEntry("org/apache/catalina/util/ServerInfo.properties"))) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("server.info", home.getFileName().toString()).replace("Apache Tomcat/", "Tomcat ");
    }
  }
}
