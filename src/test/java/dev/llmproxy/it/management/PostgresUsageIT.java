package dev.llmproxy.it.management;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.PostgresProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durable usage on a real PostgreSQL server ({@code usage.store: jdbc}), a fresh database per test. */
class PostgresUsageIT extends DurableUsageSuite {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresProcess postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = PostgresProcess.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void theSchemaIsMigratedAtStartupBeforeAnyRequest(@TempDir Path dir) throws Exception {
    String database = "usage_startup";
    String url = postgres.createDatabase(database);
    try (GatewayServer gateway = gateway(Files.createDirectories(dir.resolve("config")), usageYaml(url)).start()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!hasUsageTable(database)) {
        assertTrue(System.nanoTime() < deadline, "llmproxy_usage was not created at startup");
        Thread.sleep(50);
      }
    }
  }

  @Test
  void aTableMadeByHandWithoutItsHistoryMakesHealthSayUsageIsFailing(@TempDir Path dir) throws Exception {
    String database = "usage_by_hand";
    String url = postgres.createDatabase(database);
    try (Connection c = postgres.connect(database); Statement sql = c.createStatement()) {
      sql.execute("CREATE TABLE llmproxy_usage (occurred_at TIMESTAMP NOT NULL)");
    }
    try (GatewayServer gateway = gateway(Files.createDirectories(dir.resolve("config")), usageYaml(url)).start()) {
      HttpClient http = HttpClient.newHttpClient();
      String health = "";
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!health.contains("\"usage\":\"failing\"") && System.nanoTime() < deadline) {
        Thread.sleep(100);
        health = http.send(HttpRequest.newBuilder(gateway.uri("/healthz")).build(), HttpResponse.BodyHandlers.ofString())
            .body();
      }
      assertTrue(health.contains("\"status\":\"ok\"") && health.contains("\"usage\":\"failing\""), health);
    }
  }

  private static boolean hasUsageTable(String database) throws Exception {
    try (Connection c = postgres.connect(database);
        ResultSet tables = c.getMetaData().getTables(null, null, "llmproxy_usage", null)) {
      return tables.next();
    }
  }

  @Override
  String usageYaml(Path dataDir) {
    return usageYaml(postgres.createDatabase("usage_" + DATABASES.incrementAndGet()));
  }

  private static String usageYaml(String url) {
    return """
        usage:
          store: jdbc
          jdbc-url: "%s"
          jdbc-user: %s
        """.formatted(url, PostgresProcess.USER);
  }
}
