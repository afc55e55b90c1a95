package dev.llmproxy.it.management;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import org.eclipse.jetty.ee10.webapp.WebAppClassLoader;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Interim launcher for the management ITs: the built WAR ({@code llmproxy.war}, set by Failsafe) in an
 * embedded Jetty 12 on 127.0.0.1, port 0, with the config directory given as the context init-parameter
 * (never the JVM-wide system property, so gateways in one JVM stay independent). To be replaced by the
 * shared harness {@code dev.llmproxy.testing.GatewayServer} once it is merged.
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
    webapp.setClassLoader(new WebAppClassLoader(new ContainerOnlyClassLoader(InterimGateway.class.getClassLoader()), webapp));
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

  /**
   * The webapp's parent: shows only what a real container shares (the JDK, the Servlet API, Jetty).
   * The test classpath also holds Jersey, Jackson and the gateway's own classes; letting the webapp see
   * those would split packages across two loaders (IllegalAccessError inside Jersey).
   */
  private static final class ContainerOnlyClassLoader extends ClassLoader {
    ContainerOnlyClassLoader(ClassLoader parent) {
      super(parent);
    }

    private static boolean shared(String name) {
      return name.startsWith("java") || name.startsWith("jdk") || name.startsWith("sun") || name.startsWith("com.sun")
          || name.startsWith("jakarta.servlet") || name.startsWith("org.eclipse.jetty") || name.startsWith("org.xml")
          || name.startsWith("org.w3c");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!shared(name)) {
        throw new ClassNotFoundException(name);
      }
      return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
      return shared(name.replace('/', '.')) ? super.getResource(name) : null;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      return shared(name.replace('/', '.')) ? super.getResources(name) : Collections.emptyEnumeration();
    }
  }
}
