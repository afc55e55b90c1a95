package dev.llmproxy.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link UsageStore} in memory ({@code usage.store: memory}, or embedded when the data directory is not
 * writable): lost on restart. Keeps sums per day, client, model, provider and upstream model rather than records, so it
 * stays as small as the config's model list and the client count, however many requests pass.
 * Thread-safe (one monitor; only the writer thread and management reads take it).
 */
public final class MemoryUsageStore implements UsageStore {
  private record Key(LocalDate day, String client, String model, String provider, String upstreamModel) {}

  private final Map<Key, UsageTotals> sums = new HashMap<>();

  @Override
  public void prepare() {}

  @Override
  public synchronized void append(List<UsageRecord> batch) {
    for (UsageRecord r : batch) {
      sums.merge(new Key(r.day(), r.client(), r.model(), r.provider(), r.upstreamModel()), UsageTotals.of(r), UsageTotals::plus);
    }
  }

  @Override
  public synchronized UsageReport report(LocalDate from, LocalDate to, UsageGrouping groupBy) {
    Map<String, UsageTotals> byKey = new HashMap<>();
    sums.forEach((k, totals) -> {
      if (!k.day().isBefore(from) && !k.day().isAfter(to)) {
        String key = switch (groupBy) {
          case CLIENT -> k.client();
          case MODEL -> k.model();
          case PROVIDER -> k.provider();
          case UPSTREAM_MODEL -> k.upstreamModel();
          case DAY -> k.day().toString();
        };
        byKey.merge(key, totals, UsageTotals::plus);
      }
    });
    List<UsageReport.Row> rows = new ArrayList<>();
    byKey.forEach((key, totals) -> rows.add(new UsageReport.Row(key, totals)));
    return UsageReport.of(from, to, groupBy, rows);
  }

  @Override
  public synchronized List<ModelTokens> clientTokens(String client, Instant from, Instant before) {
    LocalDate first = LocalDate.ofInstant(from, ZoneOffset.UTC);
    LocalDate last = LocalDate.ofInstant(before, ZoneOffset.UTC);
    Map<List<String>, UsageTotals> byModel = new HashMap<>();
    sums.forEach((k, totals) -> {
      if (k.client().equals(client) && !k.day().isBefore(first) && !k.day().isAfter(last)) {
        byModel.merge(List.of(k.model(), k.provider(), k.upstreamModel()), totals, UsageTotals::plus);
      }
    });
    List<ModelTokens> out = new ArrayList<>();
    byModel.forEach((k, t) -> out.add(new ModelTokens(k.get(0), k.get(1), k.get(2), t.promptTokens(),
        t.completionTokens(), t.totalTokens(), t.costNanoDollars())));
    return out;
  }

  @Override
  public String describe() {
    return "memory (lost on restart)";
  }

  @Override
  public void close() {}
}
