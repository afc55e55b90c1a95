package dev.llmproxy.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * A child process that serves TCP on a free {@code 127.0.0.1} port: picks the port, starts the process, waits until
 * the port accepts connections, and on {@link #close()} destroys the process and deletes its work directory.
 *
 * <p>The port is picked by binding port 0 and releasing it, so another process may grab it first; a start that
 * fails is therefore retried with a new port a few times. Output goes to {@code output.log} in the work directory. A
 * JVM shutdown hook destroys the child if a test run dies without closing it. Thread-safe.
 */
final class ListeningProcess implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final int ATTEMPTS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final int port;
  private final TempDirectory workDir;
  private final Thread shutdownHook;

  private ListeningProcess(Process process, int port, TempDirectory workDir) {
    this.process = process;
    this.port = port;
    this.workDir = workDir;
    this.shutdownHook = new Thread(process::destroyForcibly, "destroy-" + workDir.path().getFileName());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a process.
   *
   * @param name what the process is, for messages (for example {@code tinyproxy})
   * @param workDir a fresh directory the process runs in, now owned by the result; deleted on close or failure
   * @param commandForPort builds the command line for a port; may also write config files into {@code workDir}
   */
  static ListeningProcess start(String name, TempDirectory workDir, IntFunction<List<String>> commandForPort) {
    return start(name, workDir, ListeningProcess::freePort, commandForPort);
  }

  /**
   * Starts a process on a port it had before (to restart a server its clients know), retrying a few times while
   * the port is still held by the previous process.
   */
  static ListeningProcess startOnPort(String name, TempDirectory workDir, int port,
      IntFunction<List<String>> commandForPort) {
    return start(name, workDir, () -> port, commandForPort);
  }

  private static ListeningProcess start(String name, TempDirectory workDir, IntSupplier ports,
      IntFunction<List<String>> commandForPort) {
    Path output = workDir.path().resolve("output.log");
    String failures = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      int port = ports.getAsInt();
      Process process = launch(commandForPort.apply(port), workDir.path(), output);
      if (awaitListening(process, port)) {
        return new ListeningProcess(process, port, workDir);
      }
      process.destroyForcibly();
      failures += "\nattempt " + attempt + " on port " + port + ": " + tail(workDir.path());
    }
    workDir.close();
    throw new IllegalStateException(name + " did not start listening on " + HOST + failures);
  }

  /**
   * Returns the absolute path of {@code executable} on the {@code PATH} (or in {@code /usr/sbin}, {@code /usr/bin}).
   *
   * @throws IllegalStateException naming the Debian package to install when it is missing
   */
  static Path requireExecutable(String executable, String aptPackage) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/usr/local/bin"));
    return dirs.stream()
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, executable))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    executable + " is not installed; install the Debian package: apt-get install " + aptPackage));
  }

  int port() {
    return port;
  }

  Path workDir() {
    return workDir.path();
  }

  /** Whether the child still runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** The process id, for diagnostics. */
  long pid() {
    return process.pid();
  }

  /** Kills the child at once (SIGKILL, as a crash would) and deletes the work directory. */
  void kill() {
    process.destroyForcibly();
    close();
  }

  /** Sends the child a signal by name ({@code STOP}, {@code CONT}) with the system's {@code kill}. */
  void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Terminates the child (forcibly after two seconds) and deletes the work directory. Safe to call twice. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; nothing left to undo.
    }
    workDir.close();
  }

  private static Process launch(List<String> command, Path workDir, Path output) {
    try {
      return new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command, e);
    }
  }

  private static boolean awaitListening(Process process, int port) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(HOST, port), 200);
        return true;
      } catch (IOException notYet) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }

  /** The last lines of every {@code *.log} file in the work directory, where the process and its own log write. */
  private static String tail(Path workDir) {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> logs = Files.list(workDir)) {
      for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(log);
        text.append("\n  ").append(log.getFileName()).append(":");
        lines.subList(Math.max(0, lines.size() - 10), lines.size()).forEach(l -> text.append("\n    ").append(l));
      }
    } catch (IOException e) {
      text.append(" (logs unreadable: ").append(e).append(')');
    }
    return text.length() == 0 ? "(no output)" : text.toString();
  }
}
