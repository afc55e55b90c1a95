package dev.llmproxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A real {@code redis-server} (Debian's package) on a free {@code 127.0.0.1} port, for tests of shared state. It runs
 * in the foreground as a child of the JVM with a temporary directory and no persistence ({@code --save ''}), so a
 * restart starts empty, as after a crash without persistence. Optional: a password ({@code requirepass}) and TLS
 * (then the port speaks only TLS, with a {@link SelfSignedCertificate}; clients are not asked for certificates).
 *
 * <p>For outage tests: {@link #kill()} ends it as a crash would, {@link #restart()} starts it again on the same port;
 * {@link #pause()} and {@link #resume()} freeze it (SIGSTOP/SIGCONT), so it accepts connections but answers nothing,
 * as an overloaded server. Thread-safe.
 */
public final class RedisProcess implements AutoCloseable {
  private final String password;
  private final SelfSignedCertificate certificate;
  private final TempDirectory dir;
  private final Path binary;
  private ListeningProcess process;
  private int port;

  private RedisProcess(String password, SelfSignedCertificate certificate) {
    this.password = password;
    this.certificate = certificate;
    this.binary = ListeningProcess.requireExecutable("redis-server", "redis-server");
    this.dir = TempDirectory.create("redis-");
  }

  /** Starts a Redis without password or TLS. */
  public static RedisProcess start() {
    return start(null, null);
  }

  /**
   * Starts a Redis.
   *
   * @param password required from clients ({@code requirepass}), or {@code null} for none
   * @param certificate serve TLS only, with this certificate, or {@code null} for plain TCP
   */
  public static RedisProcess start(String password, SelfSignedCertificate certificate) {
    RedisProcess redis = new RedisProcess(password, certificate);
    try {
      redis.launch(ListeningProcess.start("redis-server", TempDirectory.borrowed(redis.dir.path()), redis::command));
      return redis;
    } catch (RuntimeException e) {
      redis.dir.close();
      throw e;
    }
  }

  private synchronized void launch(ListeningProcess started) {
    this.process = started;
    this.port = started.port();
  }

  private List<String> command(int port) {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--bind", "127.0.0.1", "--dir",
        dir.path().toString(), "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", ""));
    if (certificate == null) {
      command.addAll(List.of("--port", Integer.toString(port)));
    } else {
      command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port), "--tls-cert-file",
          certificate.pem().toString(), "--tls-key-file", certificate.privateKeyPem().toString(),
          "--tls-auth-clients", "no"));
    }
    if (password != null) {
      command.addAll(List.of("--requirepass", password));
    }
    return command;
  }

  /** The port it listens on, the same after a {@link #restart()}. */
  public synchronized int port() {
    return port;
  }

  /** {@code redis://[:password@]127.0.0.1:PORT/0}, or {@code rediss://...} with TLS; for {@code state.redis-url}. */
  public String url() {
    return (certificate == null ? "redis" : "rediss") + "://" + (password == null ? "" : ":" + password + "@")
        + "127.0.0.1:" + port() + "/0";
  }

  /** Kills it at once (SIGKILL); everything it held is lost. */
  public synchronized void kill() {
    if (process != null) {
      process.kill();
      process = null;
    }
  }

  /** Starts it again, empty, on the same port. */
  public synchronized void restart() {
    kill();
    launch(ListeningProcess.startOnPort("redis-server", TempDirectory.borrowed(dir.path()), port, this::command));
  }

  /** Freezes it: connections stay open but nothing is answered until {@link #resume()}. */
  public synchronized void pause() {
    running().signal("STOP");
  }

  public synchronized void resume() {
    running().signal("CONT");
  }

  /**
   * Sends one command over plain TCP and returns Redis's reply line (for example {@code +PONG}, {@code :3}, or
   * {@code $-1} for a missing key); for tests that look at what the gateway left in Redis. Not for TLS.
   */
  public String command(String... arguments) {
    if (certificate != null) {
      throw new UnsupportedOperationException("command() speaks plain TCP; this Redis serves TLS only");
    }
    try (Socket socket = new Socket("127.0.0.1", port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      if (password != null) {
        out.write(resp("AUTH", password));
      }
      out.write(resp(arguments));
      out.flush();
      InputStream in = socket.getInputStream();
      if (password != null) {
        readLine(in);
      }
      String reply = readLine(in);
      if (reply.startsWith("$") && !reply.equals("$-1")) {
        return readLine(in);
      }
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException("redis at port " + port() + " did not answer", e);
    }
  }

  private static byte[] resp(String... arguments) {
    StringBuilder sb = new StringBuilder("*").append(arguments.length).append("\r\n");
    for (String a : arguments) {
      sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /** What redis-server logged, for diagnosing a failed test. */
  public String log() {
    try {
      return Files.readString(dir.path().resolve("output.log"));
    } catch (IOException e) {
      return "(no redis log: " + e + ")";
    }
  }

  private ListeningProcess running() {
    return Objects.requireNonNull(process, "redis-server is not running");
  }

  /** Kills it (resuming it first if paused) and deletes its directory. */
  @Override
  public synchronized void close() {
    if (process != null) {
      if (process.isAlive()) {
        process.signal("CONT");
      }
      process.close();
      process = null;
    }
    dir.close();
  }
}
