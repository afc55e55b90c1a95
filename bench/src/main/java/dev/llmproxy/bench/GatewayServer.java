package dev.llmproxy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;

/**
 * Runs the built WAR in embedded Jetty 12 (ee10), the way a production container would, with the
 * settings of {@link BenchContainer}. The config directory comes from {@code -Dllmproxy.config.dir},
 * as in any container.
 * Usage: {@code GatewayServer <port> <war>}.
 */
public final class GatewayServer {
  private GatewayServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path war = Path.of(args[1]);
    if (!Files.isRegularFile(war)) {
      throw new IllegalArgumentException("no WAR at " + war + " (build it with mvn package)");
    }
    Server server = BenchContainer.create(port, "gateway");
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    webapp.setWar(war.toAbsolutePath().toString());
    webapp.setTempDirectory(Files.createTempDirectory("llm-proxy-bench-webapp").toFile());
    // Skip scanning for annotations and TLDs: web.xml is metadata-complete and the listener registers everything.
    webapp.setAttribute("org.eclipse.jetty.server.webapp.ContainerIncludeJarPattern", "^$");
    webapp.setAttribute("org.eclipse.jetty.server.webapp.WebInfIncludeJarPattern", "^$");
    server.setHandler(webapp);
    server.start();
    if (!webapp.isAvailable()) {
      throw new IllegalStateException("the webapp failed to start", webapp.getUnavailableException());
    }
    System.out.println("gateway listening on 127.0.0.1:" + port);
    server.join();
  }
}
