package dev.llmproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for tests: {@code initdb} into a fresh temporary directory, then {@code postgres}
 * in the foreground on a free {@code 127.0.0.1} port (TCP only, no Unix socket, {@code fsync} off), as a child of
 * the JVM that {@link #close()} stops and deletes. Never the system's cluster.
 *
 * <p>The binaries come from Debian's {@code postgresql} package ({@code /usr/lib/postgresql/<version>/bin}, the
 * newest installed), or from the directory in the environment variable {@code LLMPROXY_PG_BIN}. PostgreSQL refuses
 * to run as root, so when the tests run as root (CI) both commands run as the {@code postgres} user the package
 * creates, through {@code setpriv}, which execs in place so that the JVM's child is the server itself.
 *
 * <p>The superuser is {@value #USER} with trust authentication over loopback: {@link #jdbcUrl(String)} needs no
 * password. Thread-safe.
 */
public final class PostgresProcess implements AutoCloseable {
  public static final String USER = "postgres";
  private static final Duration READY = Duration.ofSeconds(20);

  private final ListeningProcess process;

  private PostgresProcess(ListeningProcess process) {
    this.process = process;
  }

  /** Creates a cluster and starts its server. */
  public static PostgresProcess start() {
    Path bin = binaries();
    TempDirectory workDir = TempDirectory.create("llm-proxy-pg-");
    try {
      List<String> asOwner = ownerPrefix(workDir.path());
      Path data = workDir.path().resolve("data");
      run(concat(asOwner, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
          "-E", "UTF8", "--locale=C", "--no-sync"), workDir.path());
      ListeningProcess process = ListeningProcess.start("postgres", workDir, port -> concat(asOwner,
          bin.resolve("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
          "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off",
          "-c", "full_page_writes=off", "-c", "synchronous_commit=off"));
      PostgresProcess server = new PostgresProcess(process);
      server.awaitAcceptingQueries();
      return server;
    } catch (RuntimeException e) {
      workDir.close();
      throw e;
    }
  }

  /** The port it listens on. */
  public int port() {
    return process.port();
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/database}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  /** Creates an empty database owned by {@value #USER}; returns its JDBC URL. */
  public String createDatabase(String name) {
    execute("postgres", "CREATE DATABASE " + name);
    return jdbcUrl(name);
  }

  /** Runs one SQL statement in {@code database}, as {@value #USER}. */
  public void execute(String database, String sql) {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("'" + sql + "' failed on " + jdbcUrl(database) + ": " + e.getMessage(), e);
    }
  }

  /**
   * A connection to {@code database} as {@value #USER}. Straight from the driver, not through {@code
   * DriverManager}: a webapp started earlier in this JVM may have been the one to initialise it, with its own
   * class loader's drivers only.
   */
  public Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", USER);
    return new org.postgresql.Driver().connect(jdbcUrl(database), properties);
  }

  /** Stops the server (it is our child) and deletes its directory. */
  @Override
  public void close() {
    process.close();
  }

  /** The port accepts before the server accepts queries ("the database system is starting up"): wait for both. */
  private void awaitAcceptingQueries() {
    long deadline = System.nanoTime() + READY.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection c = connect("postgres")) {
        if (c.isValid(5)) {
          return;
        }
      } catch (SQLException e) {
        last = e;
        try {
          TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    close();
    throw new IllegalStateException("postgres on port " + port() + " did not accept queries within " + READY, last);
  }

  private static Path binaries() {
    String configured = System.getenv("LLMPROXY_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path root = Path.of("/usr/lib/postgresql");
    try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
          .max(Comparator.comparingInt(PostgresProcess::majorVersion))
          .orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed: no " + root
              + "/<version>/bin/initdb (apt-get install postgresql, or set LLMPROXY_PG_BIN)"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** As root: hands {@code dir} to the postgres user and returns the prefix that runs a command as it. */
  private static List<String> ownerPrefix(Path dir) {
    if (!"root".equals(System.getProperty("user.name"))) {
      return List.of();
    }
    run(List.of("chown", "-R", USER + ":", dir.toString()), dir);
    return List.of(ListeningProcess.requireExecutable("setpriv", "util-linux").toString(), "--reuid=" + USER,
        "--regid=" + USER, "--init-groups", "--");
  }

  private static void run(List<String> command, Path dir) {
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> concat(List<String> prefix, String... rest) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(List.of(rest));
    return all;
  }
}
