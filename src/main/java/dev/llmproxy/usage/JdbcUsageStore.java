package dev.llmproxy.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * {@link UsageStore} in a SQL database (the embedded H2 file database, PostgreSQL, or a container's
 * DataSource): in {@code llmproxy_usage}, one row per minute and kind of request ({@link UsageMinuteRow}), the
 * schema kept by Flyway migrations ({@code classpath:dev/llmproxy/usage/db}, history in
 * {@code llmproxy_schema_history} so a database shared with other applications keeps theirs apart). Reports sum in SQL and sort in Java, so every
 * database orders keys alike. Thread-safe (a connection per call from the pool).
 */
public final class JdbcUsageStore implements UsageStore {
  static final String MIGRATIONS = "classpath:dev/llmproxy/usage/db";
  private static final int MAX_TEXT = 512;
  /** The upstream-model key of rows written before records kept the upstream model. */
  static final String NOT_RECORDED = "(not recorded)";
  private static final String INSERT = "INSERT INTO llmproxy_usage (occurred_at, usage_day, client, model, provider, "
      + "dialect, endpoint, outcome, status, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, "
      + "total_tokens, duration_ms, requests, upstream_model, cost_usd, estimated_requests) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  /** Rows keep cost in USD with nine decimals: exactly the nano-dollars charged, and readable in SQL. */
  private static final int COST_SCALE = 9;
  private static final String SUMS = "SUM(requests), "
      + "SUM(CASE WHEN outcome = 'succeeded' THEN requests ELSE 0 END), "
      + "SUM(CASE WHEN outcome = 'failed' THEN requests ELSE 0 END), "
      + "SUM(CASE WHEN outcome = 'cancelled' THEN requests ELSE 0 END), "
      + "SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(reasoning_tokens), SUM(total_tokens), "
      + "SUM(cost_usd), SUM(estimated_requests)";

  private final DataSource dataSource;
  private final AutoCloseable ownedPool;
  private final String description;
  private volatile boolean prepared;

  /**
   * @param ownedPool closed with the store (a pool the gateway made), or {@code null} for a container's
   *     DataSource, which the container closes
   * @param description for the logs, without secrets
   */
  public JdbcUsageStore(DataSource dataSource, AutoCloseable ownedPool, String description) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    this.description = description;
  }

  @Override
  public void prepare() {
    if (prepared) {
      return;
    }
    synchronized (this) {
      if (prepared) {
        return;
      }
      try {
        migrations(dataSource).load().migrate();
      } catch (RuntimeException e) {
        throw new UsageStoreException("migrating the usage schema in " + description + " failed: " + e.getMessage(), e);
      }
      prepared = true;
    }
  }

  /** The usage schema's migrations and their history table, configured for {@code dataSource}. */
  static FluentConfiguration migrations(DataSource dataSource) {
    return Flyway.configure(JdbcUsageStore.class.getClassLoader())
        .dataSource(dataSource)
        .locations(MIGRATIONS)
        .table("llmproxy_schema_history")
        // A database (or schema) other applications already use: start our history beside their tables.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .failOnMissingLocations(true);
  }

  @Override
  public void append(List<UsageRecord> batch) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (UsageMinuteRow r : UsageMinuteRow.rollUp(batch)) {
          bind(ps, r);
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new UsageStoreException("writing " + batch.size() + " usage records to " + description + " failed: "
          + e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement ps, UsageMinuteRow r) throws SQLException {
    UsageMinuteRow.Kind k = r.kind();
    UsageTotals t = r.totals();
    ps.setObject(1, OffsetDateTime.ofInstant(k.minute(), ZoneOffset.UTC));
    ps.setObject(2, k.day());
    ps.setString(3, text(k.client()));
    ps.setString(4, text(k.model()));
    ps.setString(5, text(k.provider()));
    ps.setString(6, text(k.dialect()));
    ps.setString(7, text(k.endpoint()));
    ps.setString(8, k.outcome().label());
    ps.setInt(9, k.status());
    ps.setLong(10, t.promptTokens());
    ps.setLong(11, t.completionTokens());
    ps.setLong(12, t.cachedTokens());
    ps.setLong(13, t.reasoningTokens());
    ps.setLong(14, t.totalTokens());
    ps.setLong(15, r.durationMillis());
    ps.setLong(16, t.requests());
    ps.setString(17, text(k.upstreamModel()));
    ps.setBigDecimal(18, BigDecimal.valueOf(t.costNanoDollars(), COST_SCALE));
    ps.setLong(19, t.estimatedRequests());
  }

  /** Model ids come from upstream listings and principal names from SSO: cut to the column's size. */
  private static String text(String s) {
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
  }

  @Override
  public UsageReport report(LocalDate from, LocalDate to, UsageGrouping groupBy) {
    String column = switch (groupBy) {
      case CLIENT -> "client";
      case MODEL -> "model";
      case PROVIDER -> "provider";
      case UPSTREAM_MODEL -> "upstream_model";
      case DAY -> "usage_day";
    };
    String sql = "SELECT " + column + ", " + SUMS + " FROM llmproxy_usage WHERE usage_day >= ? AND usage_day <= ? "
        + "GROUP BY " + column;
    List<UsageReport.Row> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, from);
      ps.setObject(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = groupBy == UsageGrouping.DAY ? rs.getObject(1, LocalDate.class).toString() : rs.getString(1);
          if (key == null) {
            key = NOT_RECORDED; // an upstream model of rows written before records kept it
          }
          Long cost = nanoDollars(rs.getBigDecimal(11));
          rows.add(new UsageReport.Row(key, new UsageTotals(rs.getLong(2), rs.getLong(3), rs.getLong(4),
              rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
              cost == null ? 0 : cost, rs.getLong(12))));
        }
      }
    } catch (SQLException e) {
      throw new UsageStoreException("reading usage from " + description + " failed: " + e.getMessage(), e);
    }
    return UsageReport.of(from, to, groupBy, rows);
  }

  @Override
  public List<ModelTokens> clientTokens(String client, Instant from, Instant before) {
    // usage_day narrows the scan to the period's days (indexed); occurred_at (a row's minute) ends it at the minute:
    // from's minute counts whole, and so does before's, of which only what was written by now is there.
    // Rows written before V4 have neither upstream_model nor cost_usd and later rows have both, so grouping by
    // upstream_model keeps them apart: SUM(cost_usd) is null exactly for the older rows' groups.
    String sql = "SELECT model, provider, upstream_model, SUM(prompt_tokens), SUM(completion_tokens), "
        + "SUM(total_tokens), SUM(cost_usd) "
        + "FROM llmproxy_usage WHERE client = ? AND usage_day >= ? AND usage_day <= ? AND occurred_at >= ? "
        + "AND occurred_at < ? GROUP BY model, provider, upstream_model";
    List<ModelTokens> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, text(client));
      ps.setObject(2, LocalDate.ofInstant(from, ZoneOffset.UTC));
      ps.setObject(3, LocalDate.ofInstant(before, ZoneOffset.UTC));
      ps.setObject(4, OffsetDateTime.ofInstant(from.truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC));
      ps.setObject(5, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new ModelTokens(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
              rs.getLong(6), nanoDollars(rs.getBigDecimal(7))));
        }
      }
    } catch (SQLException e) {
      throw new UsageStoreException("reading usage from " + description + " failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** A summed {@code cost_usd} in nano-dollars, or {@code null} when the rows summed have none. */
  private static Long nanoDollars(BigDecimal usd) {
    return usd == null ? null : usd.movePointRight(COST_SCALE).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    if (ownedPool != null) {
      try {
        ownedPool.close();
      } catch (Exception e) {
        // Closing at undeploy: nothing left to do about it but say so.
        org.slf4j.LoggerFactory.getLogger(JdbcUsageStore.class).warn("Closing the usage database pool failed: {}",
            e.toString());
      }
    }
  }
}
