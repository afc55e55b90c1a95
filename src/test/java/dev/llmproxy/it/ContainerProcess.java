package dev.llmproxy.it;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real servlet container (an unpacked official distribution) running as a child process on a loopback
 * port, with a fresh base directory under {@code target/it-containers/}. Subclasses lay out the base and
 * say how to start it; this class starts it, waits until every deployment answers {@code /healthz}, and
 * stops it (SIGTERM, then force after 15 s). One instance serves a whole test class.
 */
abstract class ContainerProcess implements AutoCloseable {
  static final Path WAR = Path.of(System.getProperty("llmproxy.war", "target/llm-proxy.war")).toAbsolutePath();
  static final Path WORK = Path.of("target", "it-containers").toAbsolutePath();

  final String name;
  final Path home;
  final Path base;
  final int port;
  final List<Deployment> deployments;
  private Process process;
  private Duration startupTime;

  ContainerProcess(String name, Path home, List<Deployment> deployments) throws IOException {
    this.name = name;
    this.home = home;
    this.base = WORK.resolve(name);
    this.port = freePort();
    this.deployments = List.copyOf(deployments);
    if (!Files.isDirectory(home)) {
      throw new IllegalStateException(name + ": no distribution at " + home
          + " (mvn verify unpacks it in pre-integration-test)");
    }
    deleteRecursively(base);
    Files.createDirectories(base);
  }

  /** Writes the container's base directory: its config, the WAR copies and descriptors. */
  abstract void layOut() throws IOException;

  abstract List<String> command();

  /** Lays out, starts, and waits until every deployment's {@code /healthz} answers 200. */
  ContainerProcess start() throws IOException, InterruptedException {
    layOut();
    long t0 = System.nanoTime();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(command());
    ProcessBuilder builder = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true)
        .redirectOutput(base.resolve("console.log").toFile());
    builder.environment().remove("LLMPROXY_CONFIG_DIR");
    process = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    for (Deployment d : deployments) {
      awaitHealthy(d.contextPath());
    }
    startupTime = Duration.ofNanos(System.nanoTime() - t0);
    System.out.printf("[it] %s started with %d deployment(s) in %d ms (pid %d)%n", name, deployments.size(),
        startupTime.toMillis(), process.pid());
    return this;
  }

  Duration startupTime() {
    return startupTime;
  }

  long pid() {
    return process.pid();
  }

  /** {@code http://127.0.0.1:port} + context path + path. */
  URI uri(String contextPath, String path) {
    return URI.create("http://127.0.0.1:" + port + (contextPath.equals("/") ? "" : contextPath) + path);
  }

  void awaitHealthy(String contextPath) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    int last = -1;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "\n" + tail(80));
      }
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(contextPath, "/healthz"))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        last = r.statusCode();
        if (last == 200) {
          return;
        }
      } catch (ConnectException | java.net.http.HttpTimeoutException e) {
        // not listening yet, or (Tomcat binds on init) listening but not started
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + ": " + contextPath + "/healthz not ready (last status " + last + ")\n"
        + tail(80));
  }

  /** Everything the container wrote: {@code console.log} plus the files in {@code logs/}. */
  String log() throws IOException {
    StringBuilder sb = new StringBuilder(Files.readString(base.resolve("console.log"), StandardCharsets.UTF_8));
    Path logs = base.resolve("logs");
    if (Files.isDirectory(logs)) {
      try (Stream<Path> files = Files.list(logs)) {
        for (Path p : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
          sb.append(Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    }
    return sb.toString();
  }

  String tail(int lines) {
    try {
      List<String> all = log().lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Names of the live threads of the container JVM, read with {@code jcmd <pid> Thread.print}. */
  List<String> threadNames() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "Thread.print").redirectErrorStream(true)
        .start();
    String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd failed: " + dump);
    }
    return dump.lines().filter(l -> l.startsWith("\"")).map(l -> l.substring(1, l.indexOf('"', 1))).toList();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static Path distribution(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set; run the ITs with mvn verify");
    }
    return Path.of(value);
  }
}
