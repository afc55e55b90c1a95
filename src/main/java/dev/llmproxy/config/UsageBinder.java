package dev.llmproxy.config;

import java.util.Map;
import java.util.Set;

/** Binds {@code usage:} to {@link UsageConfig}, reporting each problem with its YAML path. */
final class UsageBinder {
  private final ConfigProblems problems;

  UsageBinder(ConfigProblems problems) {
    this.problems = problems;
  }

  UsageConfig usage(YamlMapReader r) {
    UsageConfig.Store store = r.enumValue("store", UsageConfig.Store.class, UsageConfig.Store.EMBEDDED, Map.of());
    String url = r.string("jdbc-url", "");
    String user = r.string("jdbc-user", "");
    String password = r.string("jdbc-password", "");
    String datasource = r.string("datasource", "");
    int queue = r.integer("queue-capacity", UsageConfig.DEFAULT_QUEUE_CAPACITY, 100, 10_000_000);
    if (store == UsageConfig.Store.JDBC) {
      checkJdbc(r, url, user, password, datasource);
    } else {
      for (String key : new String[] {"jdbc-url", "jdbc-user", "jdbc-password", "datasource"}) {
        // An empty value (the shipped example's) says nothing to ignore.
        if (r.has(key) && !r.string(key, "").isEmpty()) {
          problems.warning(r.childPath(key), "has no effect while " + r.childPath("store") + " is "
              + store.name().toLowerCase(java.util.Locale.ROOT));
        }
      }
    }
    r.finish(Set.of());
    return new UsageConfig(store, url, user, password, datasource, queue);
  }

  private void checkJdbc(YamlMapReader r, String url, String user, String password, String datasource) {
    if (url.isEmpty() == datasource.isEmpty()) {
      problems.error(r.childPath("store"), "jdbc needs exactly one of " + r.childPath("jdbc-url") + " and "
          + r.childPath("datasource"));
    }
    if (!url.isEmpty() && !url.startsWith("jdbc:")) {
      problems.error(r.childPath("jdbc-url"), "'" + UsageConfig.printable(url) + "' is not a JDBC URL; expected "
          + "jdbc:postgresql://host:5432/database or another jdbc: URL");
    }
    if (!datasource.isEmpty() && (!user.isEmpty() || !password.isEmpty())) {
      problems.error(r.childPath(user.isEmpty() ? "jdbc-password" : "jdbc-user"),
          "is not used with " + r.childPath("datasource") + " (the container's resource holds the credentials)");
    }
  }
}
