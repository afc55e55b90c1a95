package dev.llmproxy.it.management;

import dev.llmproxy.testing.PostgresProcess;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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

  @Override
  String usageYaml(Path dataDir) {
    String url = postgres.createDatabase("usage_" + DATABASES.incrementAndGet());
    return """
        usage:
          store: jdbc
          jdbc-url: "%s"
          jdbc-user: %s
        """.formatted(url, PostgresProcess.USER);
  }
}
