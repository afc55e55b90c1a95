package dev.llmproxy.it.management;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.webapp.WebAppClassLoader;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Launcher for the management ITs: the built WAR ({@code llmproxy.war}, set by Failsafe) in an embedded
 * Jetty 12 on 127.0.0.1, port 0, on a config directory the test owns. Unlike the shared
 * {@link dev.llmproxy.testing.GatewayServer}, which creates and deletes its own directory, these tests
 * prepare the directory first and inspect it afterwards ({@code config.yaml.bak}, leftover temp files).
 * The config directory is given as the context init-parameter, never the JVM-wide system property.
 */
final class InterimGateway implements AutoCloseable {
  private final Server server;
  private final Path workDir;
  private final URI base;

  private InterimGateway(Server server, Path workDir, URI base) {
    this.server = server;
    this.workDir = workDir;
    this.base = base;
  }

  static InterimGateway start(Path configDir) throws Exception {
    String war = System.getProperty("llmproxy.war", "target/llm-proxy.war");
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    Path workDir = Files.createTempDirectory("llm-proxy-it-webapp");
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    webapp.setWar(war);
    webapp.setTempDirectory(workDir.toFile());
    webapp.setInitParameter("llmproxy.config.dir", configDir.toString());
    webapp.setThrowUnavailableOnStartupException(true);
    webapp.setClassLoader(new WebAppClassLoader(new dev.llmproxy.testing.ContainerOnlyClassLoader(InterimGateway.class.getClassLoader()), webapp));
    server.setHandler(webapp);
    server.start();
    return new InterimGateway(server, workDir, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
  }

  URI uri(String path) {
    return base.resolve(path);
  }

  @Override
  public void close() throws Exception {
    server.stop();
    deleteTree(workDir);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
