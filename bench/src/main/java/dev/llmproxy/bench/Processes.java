package dev.llmproxy.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the fake upstream and the gateway as separate JVMs and stops them at exit. */
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
    Path log = logDir.resolve(name + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
    for (Process p : started) {
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
    started.clear();
  }
}
