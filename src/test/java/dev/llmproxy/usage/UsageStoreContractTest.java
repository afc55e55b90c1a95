package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The memory store and the SQL store (on in-memory H2) answer every report alike. */
class UsageStoreContractTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  static Stream<UsageStore> stores() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:usage-contract-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    return Stream.of(new MemoryUsageStore(), new JdbcUsageStore(h2, null, "in-memory H2"));
  }

  private static UsageRecord record(String time, String client, String model, String provider, RequestOutcome outcome,
      long prompt, long completion) {
    // Priced at 1 nano-dollar a token at p1 and 3 at p2, each provider's model named after it.
    return new UsageRecord(Instant.parse(time), client, model, provider, provider + "-model", "openai",
        "/v1/chat/completions", outcome, outcome == RequestOutcome.SUCCEEDED ? 200 : 502, prompt, completion,
        prompt / 2, completion / 2, prompt + completion, 40, (prompt + completion) * (provider.equals("p2") ? 3 : 1),
        false);
  }

  private static final List<UsageRecord> RECORDS = List.of(
      record("2026-12-04T23:59:59Z", "key sk-a...1234", "gpt", "p1", RequestOutcome.SUCCEEDED, 10, 4),
      record("2026-12-05T00:00:00Z", "key sk-a...1234", "gpt", "p2", RequestOutcome.FAILED, 0, 0),
      record("2026-12-05T12:00:00Z", "user alice", "gpt", "p1", RequestOutcome.SUCCEEDED, 20, 6),
      record("2026-12-05T13:00:00Z", "user alice", "(not routed)", UsageRecord.NO_PROVIDER, RequestOutcome.FAILED, 0, 0),
      record("2026-12-06T08:00:00Z", "anonymous", "claude", "p2", RequestOutcome.CANCELLED, 0, 0));

  private static UsageTotals totals(long requests, long ok, long failed, long cancelled, long prompt, long completion) {
    return new UsageTotals(requests, ok, failed, cancelled, prompt, completion, prompt / 2, completion / 2,
        prompt + completion, prompt + completion, 0);
  }

  private static UsageReport report(UsageStore store, String from, String to, UsageGrouping groupBy) {
    return store.report(LocalDate.parse(from), LocalDate.parse(to), groupBy);
  }

  @ParameterizedTest
  @MethodSource("stores")
  void groupsByEachKeyWithinTheDaysAskedSortedByKey(UsageStore store) {
    store.prepare();
    store.append(RECORDS.subList(0, 2));
    store.append(RECORDS.subList(2, RECORDS.size()));

    UsageReport byDay = report(store, "2026-12-01", "2026-12-31", UsageGrouping.DAY);
    assertEquals(List.of(new UsageReport.Row("2026-12-04", totals(1, 1, 0, 0, 10, 4)),
        new UsageReport.Row("2026-12-05", totals(3, 1, 2, 0, 20, 6)),
        new UsageReport.Row("2026-12-06", totals(1, 0, 0, 1, 0, 0))), byDay.rows());
    assertEquals(totals(5, 2, 2, 1, 30, 10), byDay.totals());

    assertEquals(List.of(new UsageReport.Row("(not routed)", totals(1, 0, 1, 0, 0, 0)),
        new UsageReport.Row("gpt", totals(2, 1, 1, 0, 20, 6))),
        report(store, "2026-12-05", "2026-12-05", UsageGrouping.MODEL).rows(), "one day, both ends inclusive");
    assertEquals(List.of(new UsageReport.Row("anonymous", totals(1, 0, 0, 1, 0, 0)),
        new UsageReport.Row("key sk-a...1234", totals(2, 1, 1, 0, 10, 4)),
        new UsageReport.Row("user alice", totals(2, 1, 1, 0, 20, 6))),
        report(store, "2026-12-01", "2026-12-31", UsageGrouping.CLIENT).rows());
    assertEquals(List.of(new UsageReport.Row("(none)", totals(1, 0, 1, 0, 0, 0)),
        new UsageReport.Row("p1", totals(2, 2, 0, 0, 30, 10)),
        new UsageReport.Row("p2", totals(2, 0, 1, 1, 0, 0))),
        report(store, "2026-12-01", "2026-12-31", UsageGrouping.PROVIDER).rows());
    assertEquals(List.of(), report(store, "2026-11-01", "2026-11-30", UsageGrouping.MODEL).rows());
    store.close();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void sumsOneClientsTokensPerModelAndProviderWithinThePeriod(UsageStore store) {
    store.prepare();
    store.append(RECORDS);
    store.append(List.of(record("2026-12-06T09:00:00Z", "user alice", "gpt", "p1", RequestOutcome.SUCCEEDED, 2, 1),
        record("2026-11-30T23:00:00Z", "user alice", "gpt", "p1", RequestOutcome.SUCCEEDED, 100, 100)));

    List<ModelTokens> december = store.clientTokens("user alice", Instant.parse("2026-12-01T00:00:00Z"),
        Instant.parse("2026-12-07T00:00:00Z"));
    assertEquals(java.util.Set.of(new ModelTokens("gpt", "p1", "p1-model", 22, 7, 29, 29L),
        new ModelTokens("(not routed)", UsageRecord.NO_PROVIDER, "(none)-model", 0, 0, 0, 0L)), java.util.Set.copyOf(december));
    assertEquals(List.of(), store.clientTokens("user bob", Instant.parse("2026-12-01T00:00:00Z"),
        Instant.parse("2026-12-07T00:00:00Z")));
    store.close();
  }

  @Test
  void theSqlStoreCountsWholeMinutesAtBothEnds() {
    UsageStore store = stores().toList().get(1);
    store.prepare();
    store.append(RECORDS);
    assertEquals(List.of(new ModelTokens("gpt", "p1", "p1-model", 10, 4, 14, 14L)), store.clientTokens("key sk-a...1234",
        Instant.parse("2026-12-04T23:59:59Z"), Instant.parse("2026-12-05T00:00:00Z")), "from inclusive, before not");
    assertEquals(List.of(new ModelTokens("gpt", "p1", "p1-model", 10, 4, 14, 14L)), store.clientTokens("key sk-a...1234",
        Instant.parse("2026-12-04T23:59:59.500Z"), Instant.parse("2026-12-05T00:00:00Z")), "from's whole minute");
    assertEquals(java.util.Set.of(new ModelTokens("gpt", "p1", "p1-model", 10, 4, 14, 14L),
        new ModelTokens("gpt", "p2", "p2-model", 0, 0, 0, 0L)),
        java.util.Set.copyOf(store.clientTokens("key sk-a...1234", Instant.parse("2026-12-04T23:00:00Z"),
            Instant.parse("2026-12-05T00:00:00.001Z"))), "before's minute, as far as it is written");
    store.close();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void manyRequestsOfOneMinuteSumAsTheyWouldOneByOne(UsageStore store) {
    store.prepare();
    store.append(List.of(record("2026-12-05T12:00:01Z", "user alice", "gpt", "p1", RequestOutcome.SUCCEEDED, 20, 6),
        record("2026-12-05T12:00:59Z", "user alice", "gpt", "p1", RequestOutcome.SUCCEEDED, 2, 2),
        record("2026-12-05T12:00:30Z", "user alice", "gpt", "p1", RequestOutcome.FAILED, 0, 0),
        record("2026-12-05T12:01:00Z", "user alice", "gpt", "p1", RequestOutcome.SUCCEEDED, 4, 2)));
    store.append(List.of(record("2026-12-05T12:00:40Z", "user alice", "gpt", "p1", RequestOutcome.SUCCEEDED, 2, 0)));
    assertEquals(List.of(new UsageReport.Row("user alice", totals(5, 4, 1, 0, 28, 10))),
        report(store, "2026-12-05", "2026-12-05", UsageGrouping.CLIENT).rows());
    assertEquals(List.of(new ModelTokens("gpt", "p1", "p1-model", 28, 10, 38, 38L)), store.clientTokens("user alice",
        Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-06T00:00:00Z")));
    store.close();
  }

  @Test
  void rowsWrittenBeforeTheyWereSummedPerMinuteCountOneRequestEach() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:usage-contract-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    JdbcUsageStore.migrations(h2).target("2").load().migrate();
    try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO llmproxy_usage (occurred_at, usage_day, client, model, provider, dialect, endpoint, "
          + "outcome, status, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, total_tokens, "
          + "duration_ms) VALUES (TIMESTAMP WITH TIME ZONE '2026-12-05 10:00:00+00', DATE '2026-12-05', "
          + "'user alice', 'gpt', 'p1', 'openai', '/v1/chat/completions', 'succeeded', 200, 10, 4, 5, 2, 14, 30)");
    }
    UsageStore store = new JdbcUsageStore(h2, null, "in-memory H2 at version 2");
    store.prepare();
    store.append(RECORDS.subList(2, 3));
    assertEquals(List.of(new UsageReport.Row("user alice", new UsageTotals(2, 2, 0, 0, 30, 10, 15, 5, 40, 26, 0))),
        report(store, "2026-12-05", "2026-12-05", UsageGrouping.CLIENT).rows(), "the older row adds no cost");
    store.close();
  }

  @Test
  void rowsWrittenBeforeRecordsKeptUpstreamModelAndCostSayTheyHaveNone() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:usage-contract-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    JdbcUsageStore.migrations(h2).target("3").load().migrate();
    try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO llmproxy_usage (occurred_at, usage_day, client, model, provider, dialect, endpoint, "
          + "outcome, status, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, total_tokens, "
          + "duration_ms, requests) VALUES (TIMESTAMP WITH TIME ZONE '2026-12-05 10:00:00+00', DATE '2026-12-05', "
          + "'user alice', 'gpt', 'p1', 'openai', '/v1/chat/completions', 'succeeded', 200, 10, 4, 5, 2, 14, 30, 1)");
    }
    UsageStore store = new JdbcUsageStore(h2, null, "in-memory H2 at version 3");
    store.prepare();
    store.append(RECORDS.subList(2, 3));
    assertEquals(java.util.Set.of(new ModelTokens("gpt", "p1", null, 10, 4, 14, null),
        new ModelTokens("gpt", "p1", "p1-model", 20, 6, 26, 26L)),
        java.util.Set.copyOf(store.clientTokens("user alice", Instant.parse("2026-12-01T00:00:00Z"),
            Instant.parse("2026-12-07T00:00:00Z"))), "the older row's cost is unknown, not 0");
    assertEquals(List.of(new UsageReport.Row("(not recorded)", new UsageTotals(1, 1, 0, 0, 10, 4, 5, 2, 14, 0, 0)),
        new UsageReport.Row("p1-model", totals(1, 1, 0, 0, 20, 6))),
        report(store, "2026-12-05", "2026-12-05", UsageGrouping.UPSTREAM_MODEL).rows());
    store.close();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void countsTheRequestsWhoseTokensAreEstimates(UsageStore store) {
    store.prepare();
    UsageRecord reported = record("2026-12-05T12:00:00Z", "user alice", "gpt", "p1", RequestOutcome.CANCELLED, 20, 6);
    UsageRecord estimated = new UsageRecord(reported.time(), "user alice", "gpt", "p1", "p1-model", "openai",
        "/v1/chat/completions", RequestOutcome.CANCELLED, 499, 25, 3, 0, 0, 28, 40, 28, true);
    store.append(List.of(reported, estimated, estimated));
    UsageTotals totals = report(store, "2026-12-05", "2026-12-05", UsageGrouping.CLIENT).totals();
    assertEquals(new UsageTotals(3, 0, 0, 3, 70, 12, 10, 3, 82, 82, 2), totals,
        "estimated tokens and cost are in the sums, their requests counted apart");
    store.close();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void groupsByUpstreamModelAndSumsWhatEachWasCharged(UsageStore store) {
    store.prepare();
    store.append(List.of(record("2026-12-05T12:00:00Z", "user alice", "pool", "p1", RequestOutcome.SUCCEEDED, 2, 1),
        new UsageRecord(Instant.parse("2026-12-05T12:00:30Z"), "user alice", "pool", "p1", "pricey", "openai",
            "/v1/chat/completions", RequestOutcome.SUCCEEDED, 200, 2, 1, 1, 0, 3, 40, 300_000_123, false),
        record("2026-12-05T12:00:40Z", "user alice", "pool", "p1", RequestOutcome.SUCCEEDED, 4, 2)));
    UsageReport report = report(store, "2026-12-05", "2026-12-05", UsageGrouping.UPSTREAM_MODEL);
    assertEquals(List.of("p1-model", "pricey"), report.rows().stream().map(UsageReport.Row::key).toList());
    assertEquals(List.of(9L, 300_000_123L), report.rows().stream().map(r -> r.totals().costNanoDollars()).toList());
    assertEquals(300_000_132L, report.totals().costNanoDollars(), "nano-dollars sum exactly");
    assertEquals(java.util.Set.of(new ModelTokens("pool", "p1", "p1-model", 6, 3, 9, 9L),
        new ModelTokens("pool", "p1", "pricey", 2, 1, 3, 300_000_123L)),
        java.util.Set.copyOf(store.clientTokens("user alice", Instant.parse("2026-12-01T00:00:00Z"),
            Instant.parse("2026-12-07T00:00:00Z"))));
    store.close();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void prepareIsIdempotent(UsageStore store) {
    store.prepare();
    store.prepare();
    store.append(RECORDS.subList(0, 1));
    assertEquals(1, report(store, "2026-12-04", "2026-12-04", UsageGrouping.MODEL).totals().requests());
    store.close();
  }
}
