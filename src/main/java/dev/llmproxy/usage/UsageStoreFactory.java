package dev.llmproxy.usage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.llmproxy.config.UsageConfig;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Set;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.h2.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the {@link UsageStore} that {@code usage:} asks for, once at startup:
 * <ul>
 *   <li>{@code embedded}: an H2 file database {@code usage} in the data directory, migrated at once; a data
 *       directory that is missing or not writable, or a database that will not open, gives a loud warning and
 *       the memory store, so the gateway still serves. A database another process holds (the previous deployment
 *       still stopping, or another gateway given the same directory) is waited for like a server that is down:
 *       records wait in the writer's queue and are written once it is free, and budgets are restored then;
 *   <li>{@code jdbc} with {@code jdbc-url}: a HikariCP pool; the database may be down at startup (the writer
 *       migrates and writes once it is reachable);
 *   <li>{@code jdbc} with {@code datasource}: the container's pool, looked up by JNDI name; a name that does
 *       not resolve gives a loud error and the memory store;
 *   <li>{@code memory}.
 * </ul>
 */
public final class UsageStoreFactory {
  private static final Logger LOG = LoggerFactory.getLogger(UsageStoreFactory.class);
  static final String POOL_NAME = "llm-proxy-usage";
  private static final Set<PosixFilePermission> OWNER_AND_GROUP = PosixFilePermissions.fromString("rwxr-x---");

  private UsageStoreFactory() {}

  /**
   * @param dataDirectory where the embedded database lives, or {@code null} when none could be found
   */
  public static UsageStore open(UsageConfig config, Path dataDirectory) {
    return switch (config.store()) {
      case MEMORY -> new MemoryUsageStore();
      case EMBEDDED -> embedded(dataDirectory);
      case JDBC -> config.datasource().isEmpty() ? server(config) : container(config.datasource());
    };
  }

  private static UsageStore embedded(Path dataDirectory) {
    if (dataDirectory == null) {
      return fallBack("no data directory was found (set llmproxy.data.dir or LLMPROXY_DATA_DIR)");
    }
    try {
      createPrivately(dataDirectory);
      Files.delete(Files.createTempFile(dataDirectory, ".write-check", ".tmp"));
    } catch (IOException | RuntimeException e) {
      return fallBack("the data directory " + dataDirectory + " is not writable (" + e + ")");
    }
    Path file = dataDirectory.toAbsolutePath().resolve("usage");
    HikariConfig hikari = pool("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE", "org.h2.Driver");
    hikari.setUsername("sa");
    hikari.setPassword("");
    String description = "embedded H2 database " + file + ".mv.db";
    JdbcUsageStore store;
    try {
      HikariDataSource pool = new HikariDataSource(hikari);
      store = new JdbcUsageStore(pool, pool, description);
    } catch (RuntimeException e) {
      if (heldByAnotherProcess(e)) {
        return waitingFor(hikari, description);
      }
      return fallBack("the embedded database " + file + " did not open (" + e.getMessage() + ")");
    }
    try {
      store.prepare();
    } catch (UsageStoreException e) {
      store.close();
      return fallBack(e.getMessage());
    }
    return store;
  }

  /**
   * Creates {@code directory} if it is missing, closed to other users (rwxr-x---) where the file system has POSIX
   * permissions: the database names every client and what it spent, and H2 creates its files with the process's
   * umask, often world-readable. A directory that exists keeps the permissions its operator gave it.
   */
  private static void createPrivately(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    Files.createDirectories(directory.toAbsolutePath().getParent());
    try {
      Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_AND_GROUP));
    } catch (UnsupportedOperationException notPosix) {
      Files.createDirectories(directory);
    } catch (FileAlreadyExistsException createdMeanwhile) {
      // another deployment made it first
    }
  }

  /**
   * The embedded store over a pool that connects once the other process lets go of the file. The writer migrates
   * and writes then, as for a database server that was down at startup; until then its queue holds the records.
   */
  private static UsageStore waitingFor(HikariConfig hikari, String description) {
    LOG.warn("""

        ****************************************************************************
        * The {} is in use by another process: the previous
        * deployment still stopping, or another gateway given the same data directory.
        * Usage records wait in memory (up to usage.queue-capacity) and are written
        * once it is free. Gateways must not share a data directory: give each its
        * own (llmproxy.data.dir) or share a database (usage.store: jdbc).
        ****************************************************************************""", description);
    hikari.setInitializationFailTimeout(-1);
    HikariDataSource pool = new HikariDataSource(hikari);
    return new JdbcUsageStore(pool, pool, description);
  }

  /** Whether opening failed because another process holds the database file (H2's error 90020). */
  static boolean heldByAnotherProcess(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
        return true;
      }
    }
    return false;
  }

  private static UsageStore server(UsageConfig config) {
    String url = config.jdbcUrl();
    HikariConfig hikari = pool(url, driverFor(url));
    if (!config.jdbcUser().isEmpty()) {
      hikari.setUsername(config.jdbcUser());
    }
    if (!config.jdbcPassword().isEmpty()) {
      hikari.setPassword(config.jdbcPassword());
    }
    // Down at startup is not fatal: the writer migrates and writes once the database answers.
    hikari.setInitializationFailTimeout(-1);
    try {
      HikariDataSource pool = new HikariDataSource(hikari);
      return new JdbcUsageStore(pool, pool, "database " + config.printableJdbcUrl());
    } catch (RuntimeException e) {
      LOG.error("usage.jdbc-url {} cannot be used ({}); usage records are kept in memory only", config.printableJdbcUrl(),
          e.getMessage());
      return new MemoryUsageStore();
    }
  }

  private static UsageStore container(String name) {
    try {
      Object found = new InitialContext().lookup(name);
      if (found instanceof DataSource dataSource) {
        return new JdbcUsageStore(dataSource, null, "container DataSource " + name);
      }
      LOG.error("usage.datasource {} is a {}, not a javax.sql.DataSource; usage records are kept in memory only", name,
          found == null ? "null" : found.getClass().getName());
    } catch (NamingException e) {
      LOG.error("usage.datasource {} was not found ({}); declare it as a Resource in the context descriptor. Usage "
          + "records are kept in memory only", name, e.toString());
    }
    return new MemoryUsageStore();
  }

  private static HikariConfig pool(String url, String driverClass) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(POOL_NAME);
    hikari.setJdbcUrl(url);
    if (driverClass != null) {
      // Drivers in WEB-INF/lib are not found by DriverManager's own scan in a container: name the class.
      hikari.setDriverClassName(driverClass);
    }
    // One writer thread and the odd management read.
    hikari.setMaximumPoolSize(2);
    hikari.setMinimumIdle(1);
    hikari.setConnectionTimeout(5_000);
    return hikari;
  }

  /** The driver class of the drivers the WAR ships; {@code null} leaves others to DriverManager. */
  static String driverFor(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return "org.postgresql.Driver";
    }
    if (url.startsWith("jdbc:h2:")) {
      return "org.h2.Driver";
    }
    return null;
  }

  private static UsageStore fallBack(String why) {
    LOG.warn("""

        ****************************************************************************
        * Usage records are kept IN MEMORY ONLY and are lost on restart:
        * {}
        * Fix it, or set usage.store (jdbc, or memory to silence this warning).
        ****************************************************************************""", why);
    return new MemoryUsageStore();
  }
}
