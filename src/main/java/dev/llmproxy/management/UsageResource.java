package dev.llmproxy.management;

import dev.llmproxy.usage.UsageCounters;
import dev.llmproxy.usage.UsageGrouping;
import dev.llmproxy.usage.UsageReport;
import dev.llmproxy.usage.UsageReports;
import dev.llmproxy.usage.UsageStoreException;
import dev.llmproxy.usage.UsageTotals;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v0/management/usage}.
 * <ul>
 *   <li>Without query: the live counters of the current period, per client (a masked key, a signed-in user,
 *       or anonymous) and model id: requests, how they ended, the tokens the upstreams reported and their cost
 *       in USD (the gateway asks every stream for its usage, whether its client did or not). Requests for model
 *       ids no provider serves count under {@code (not routed)}. {@code DELETE} starts a new period and answers
 *       {@code {"status":"ok"}}; durable records are never deleted by it.
 *   <li>With {@code from}, {@code to} (ISO dates, inclusive, UTC; {@code from} defaults to 30 days before
 *       {@code to}, {@code to} to today) or {@code group-by} ({@code client}, {@code model} (default),
 *       {@code provider}, {@code upstream-model}, {@code day}): the durable usage records of those days, one row per
 *       key, sorted by key, and their totals.
 * </ul>
 * Any other query parameter is refused with 400 naming it ({@code ?client=}, {@code ?groupBy=} would otherwise answer
 * the whole period as if they filtered it).
 */
@Path("usage")
@Produces(MediaType.APPLICATION_JSON)
public final class UsageResource {
  private static final Logger LOG = LoggerFactory.getLogger(UsageResource.class);
  static final int DEFAULT_DAYS = 30;
  /** Every query parameter this endpoint reads; any other is a typo that would be answered with plausible numbers. */
  static final List<String> PARAMETERS = List.of("from", "to", "group-by");
  private static final LocalDate FIRST_DAY = LocalDate.of(1, 1, 1);
  private static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);

  private final UsageCounters counters;
  private final UsageReports reports;
  private final Clock clock;

  UsageResource(UsageCounters counters, UsageReports reports, Clock clock) {
    this.counters = counters;
    this.reports = reports;
    this.clock = clock;
  }

  @GET
  public Map<String, Object> get(@QueryParam("from") String from, @QueryParam("to") String to,
      @QueryParam("group-by") String groupBy, @Context UriInfo uri) {
    validateParameters(uri.getQueryParameters());
    if (from == null && to == null && groupBy == null) {
      return live();
    }
    LocalDate last = to == null ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : date("to", to);
    LocalDate first = from == null ? max(FIRST_DAY, last.minusDays(DEFAULT_DAYS)) : date("from", from);
    if (first.isAfter(last)) {
      throw new ManagementException(400, "invalid parameter", "from (" + first + ") is after to (" + last + ")");
    }
    UsageGrouping grouping = groupBy == null ? UsageGrouping.MODEL : UsageGrouping.ofLabel(groupBy);
    if (grouping == null) {
      throw new ManagementException(400, "invalid parameter",
          "group-by must be client, model, provider, upstream-model or day, not '" + groupBy + "'");
    }
    try {
      return durable(reports.report(first, last, grouping));
    } catch (UsageStoreException e) {
      LOG.warn("Usage report failed: {}", e.getMessage());
      throw new ManagementException(503, "usage unavailable", "the usage database cannot be read now");
    }
  }

  private static void validateParameters(MultivaluedMap<String, String> parameters) {
    for (String name : new TreeSet<>(parameters.keySet())) {
      if (!PARAMETERS.contains(name)) {
        throw new ManagementException(400, "invalid parameter", "unknown parameter '" + name + "'; accepted: "
            + String.join(", ", PARAMETERS));
      }
      if (parameters.get(name).size() > 1) {
        // Only the first would count: group-by=client&group-by=model would answer by client alone.
        throw new ManagementException(400, "invalid parameter", name + " is given more than once");
      }
    }
  }

  private static LocalDate max(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? a : b;
  }

  private static LocalDate date(String name, String value) {
    LocalDate date;
    try {
      date = LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new ManagementException(400, "invalid parameter", name + " must be a date as YYYY-MM-DD, not '" + value
          + "'");
    }
    if (date.isBefore(FIRST_DAY) || date.isAfter(LAST_DAY)) {
      // Beyond these the databases' timestamps end, and the query failed as if the database were down (503).
      throw new ManagementException(400, "invalid parameter", name + " must be between " + FIRST_DAY + " and "
          + LAST_DAY + ", not '" + value + "'");
    }
    return date;
  }

  private Map<String, Object> live() {
    Map<String, List<Object>> byClient = new LinkedHashMap<>();
    for (UsageCounters.Row row : counters.snapshot()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", row.model());
      putTotals(m, row.totals());
      byClient.computeIfAbsent(row.client(), c -> new ArrayList<>()).add(m);
    }
    List<Object> clients = new ArrayList<>();
    byClient.forEach((client, models) -> {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("client", client);
      c.put("models", models);
      clients.add(c);
    });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("since", counters.since().toString());
    body.put("clients", clients);
    return body;
  }

  private static Map<String, Object> durable(UsageReport report) {
    List<Object> rows = new ArrayList<>();
    for (UsageReport.Row row : report.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", row.key());
      putTotals(m, row.totals());
      rows.add(m);
    }
    Map<String, Object> totals = new LinkedHashMap<>();
    putTotals(totals, report.totals());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", report.from().toString());
    body.put("to", report.to().toString());
    body.put("group-by", report.groupBy().label());
    body.put("rows", rows);
    body.put("totals", totals);
    return body;
  }

  private static void putTotals(Map<String, Object> m, UsageTotals t) {
    m.put("requests", t.requests());
    m.put("succeeded", t.succeeded());
    m.put("failed", t.failed());
    m.put("cancelled", t.cancelled());
    m.put("prompt-tokens", t.promptTokens());
    m.put("completion-tokens", t.completionTokens());
    m.put("cached-tokens", t.cachedTokens());
    m.put("reasoning-tokens", t.reasoningTokens());
    m.put("total-tokens", t.totalTokens());
    m.put("cost", dollars(t.costNanoDollars()));
    m.put("estimated-requests", t.estimatedRequests());
  }

  /** US dollars as a plain JSON number (never 1E+2), exactly the nano-dollars summed. */
  static BigDecimal dollars(long nanoDollars) {
    BigDecimal usd = BigDecimal.valueOf(nanoDollars, 9).stripTrailingZeros();
    return usd.scale() < 0 ? usd.setScale(0) : usd;
  }

  @DELETE
  public Map<String, Object> reset() {
    counters.reset();
    return Ok.BODY;
  }
}
