package dev.llmproxy.config;

/**
 * {@code usage:} where durable usage records go. Read once at startup (the store is opened then); a
 * reload that changes it is applied by the next restart. Immutable; {@link #toString()} hides the
 * password and anything a JDBC URL carries after its path.
 *
 * @param store {@code embedded} (default: an H2 file database in the data directory), {@code jdbc} (a
 *     server database by URL or a container DataSource) or {@code memory} (lost on restart)
 * @param jdbcUrl {@code usage.jdbc-url}, with {@code store: jdbc}; empty otherwise
 * @param jdbcUser {@code usage.jdbc-user}; may be empty (the URL or the driver's defaults decide)
 * @param jdbcPassword {@code usage.jdbc-password}; may be empty
 * @param datasource {@code usage.datasource}: a JNDI name such as {@code java:comp/env/jdbc/llmproxy},
 *     with {@code store: jdbc} instead of a URL; empty otherwise
 * @param queueCapacity how many records may wait for the database writer before new ones are dropped
 *     (default {@value #DEFAULT_QUEUE_CAPACITY})
 */
public record UsageConfig(Store store, String jdbcUrl, String jdbcUser, String jdbcPassword, String datasource,
    int queueCapacity) {

  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  public static final UsageConfig DEFAULT = new UsageConfig(Store.EMBEDDED, "", "", "", "", DEFAULT_QUEUE_CAPACITY);

  /** {@code usage.store}. */
  public enum Store { EMBEDDED, JDBC, MEMORY }

  /** The JDBC URL without what may hold a secret (user info, query, properties after {@code ;}). */
  public String printableJdbcUrl() {
    return printable(jdbcUrl);
  }

  static String printable(String url) {
    String s = url;
    int cut = s.length();
    for (char c : new char[] {'?', ';', '&'}) {
      int i = s.indexOf(c);
      if (i >= 0 && i < cut) {
        cut = i;
      }
    }
    s = s.substring(0, cut);
    int at = s.indexOf('@');
    int scheme = s.indexOf("//");
    if (at >= 0 && scheme >= 0 && at > scheme) {
      s = s.substring(0, scheme + 2) + "<redacted>@" + s.substring(at + 1);
    }
    return s;
  }

  @Override
  public String toString() {
    return "UsageConfig[store=" + store + ", jdbcUrl=" + printableJdbcUrl() + ", jdbcUser=" + jdbcUser
        + ", jdbcPassword=" + (jdbcPassword.isEmpty() ? "" : "<redacted>") + ", datasource=" + datasource
        + ", queueCapacity=" + queueCapacity + "]";
  }
}
