package dev.llmproxy.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the benchmark's server processes (the fake upstream and the gateway as separate JVMs, the
 * nginx peer) and stops them at exit. Each one's console output goes to {@code <name>.log}.
 */
final class Processes {
  private final List<Process> started = new ArrayList<>();
  private final String classpath = System.getProperty("java.class.path");
  private final Path logDir;

  Processes(Path logDir) {
    this.logDir = logDir;
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll));
  }

  Process startJava(String name, List<String> jvmOptions, String mainClass, List<String> args, int port)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    return start(name, cmd, port);
  }

  /** Starts {@code command} and waits (at most 60 s) until it accepts connections on {@code port}. */
  Process start(String name, List<String> command, int port) throws IOException, InterruptedException {
    if (canConnect(port)) {
      // Something else (a leftover run?) already listens there: measuring it would be silently wrong.
      throw new IOException(name + ": port " + port + " is already in use");
    }
    Path log = logDir.resolve(name + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(p);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!canConnect(port)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new IOException(name + " did not start; see " + log);
      }
      Thread.sleep(100);
    }
    return p;
  }

  private static boolean canConnect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  void stopAll() {
    // nginx's workers are children of its master: if the master has to be killed they would live on.
    List<ProcessHandle> descendants = new ArrayList<>();
    for (Process p : started) {
      p.descendants().forEach(descendants::add);
      p.destroy();
    }
    for (Process p : started) {
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    started.clear();
  }
}
