package dev.llmproxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts webapps in the container {@code -Dbench.container} names, each as its own JVM: a gateway (a
 * built WAR with its config directory) in embedded Jetty 12 ({@link GatewayServer}) or a Tomcat
 * distribution ({@link TomcatGateway}), and the container floor ({@link FloorServlet}) and the blocking
 * proxy ({@link BlockingProxyServlet}) in the same container with the same connector.
 */
final class GatewayContainer {
  private final Settings s;
  private final Processes processes;
  private final Path containersDir;
  private String description = "";

  /** @param containersDir where the build unpacked the container distributions ({@code target/containers}) */
  GatewayContainer(Settings s, Processes processes, Path containersDir) {
    this.s = s;
    this.processes = processes;
    this.containersDir = containersDir;
  }

  /** Starts {@code war} on {@code port}; {@code work} is the gateway's own directory (config, Tomcat base). */
  Process startGateway(String name, Path war, List<String> jvmOptions, int port, Path work) throws Exception {
    if (s.isTomcat()) {
      TomcatGateway tomcat = TomcatGateway.layOut(containersDir, s.container(), work.resolve("tomcat"), war, port,
          s.gatewayMaxThreads(), s.connector());
      description = tomcat.version() + ", NIO connector: " + tomcat.connectorSummary();
      return processes.start(name, tomcat.command(jvmOptions), port);
    }
    description = "embedded Jetty 12 ee10, " + s.gatewayMaxThreads() + "-thread pool, 1 acceptor, 1 selector per core, "
        + "accept queue 4096, 32 KiB output buffer";
    return processes.startJava(name, jvmOptions, GatewayServer.class.getName(),
        List.of(Integer.toString(port), war.toString()), port);
  }

  /** The container floor on {@code s.floorPort()}, in the same container with the same connector. */
  Process startFloor(Path work) throws Exception {
    return startServlet("floor", FloorServlet.class, s.floorPort(), work);
  }

  /** The blocking proxy ({@link BlockingProxyServlet}) in the third leg's place, in the same container. */
  Process startBlockingProxy(Path work) throws Exception {
    return startServlet("blocking-proxy", BlockingProxyServlet.class, s.peerPort(), work);
  }

  /** One servlet of the benchmark alone in its own JVM and container, with the gateway's connector. */
  private Process startServlet(String name, Class<?> servlet, int port, Path work) throws Exception {
    List<String> jvm = new ArrayList<>(GatewayLaunch.heap(1024));
    jvm.add("-Dbench.gateway.maxThreads=" + s.gatewayMaxThreads());
    jvm.add("-Dbench.upstreamPort=" + s.upstreamPort());
    if (s.isTomcat()) {
      Path webapp = BenchWebapp.layOut(Files.createDirectories(work.resolve(name + "-webapp")), servlet);
      TomcatGateway tomcat = TomcatGateway.layOut(containersDir, s.container(), work.resolve(name + "-tomcat"), webapp,
          port, s.gatewayMaxThreads(), s.connector());
      return processes.start(name, tomcat.command(jvm), port);
    }
    return processes.startJava(name, jvm, ContainerFloor.class.getName(),
        List.of(Integer.toString(port), servlet.getName()), port);
  }

  /** What the last gateway started in, for the report. */
  String description() {
    return description;
  }

  static Path containersDir(Path war) throws IOException {
    return war.toAbsolutePath().getParent().resolve("containers");
  }
}
