package dev.llmproxy.management;

import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.config.UsageConfig;
import java.util.List;
import java.util.Objects;

/**
 * Settings a management write may not change, however its caller signed in: the usage database's connection
 * ({@code usage.store}, {@code jdbc-url}, {@code jdbc-user}, {@code jdbc-password}, {@code datasource}). A JDBC URL
 * is code as much as an address (H2's {@code INIT=} runs SQL, and SQL can write files and define Java functions),
 * and a data source name is looked up through JNDI, which follows URLs; so a management key, which may be used from
 * another machine, would be a shell on this one. Whoever may edit {@code config.yaml} by hand holds the host already.
 * Stateless.
 */
final class HandOnlySettings {
  private HandOnlySettings() {}

  /** One line per hand-only setting {@code updated} changes from {@code running}; empty when none or nothing runs. */
  static List<String> problems(GatewayConfig running, GatewayConfig updated) {
    if (running == null || sameConnection(running.usage(), updated.usage())) {
      return List.of();
    }
    return List.of("usage: the change sets another usage database (store, jdbc-url, jdbc-user, jdbc-password or "
        + "datasource), which the management API does not do (a JDBC URL can run code on this host); edit "
        + "config.yaml by hand (the gateway applies the saved file on its own)");
  }

  private static boolean sameConnection(UsageConfig a, UsageConfig b) {
    return a.store() == b.store() && a.jdbcUrl().equals(b.jdbcUrl()) && a.jdbcUser().equals(b.jdbcUser())
        && Objects.equals(a.jdbcPassword(), b.jdbcPassword()) && a.datasource().equals(b.datasource());
  }
}
