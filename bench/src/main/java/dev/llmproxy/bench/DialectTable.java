package dev.llmproxy.bench;

import static dev.llmproxy.bench.Percentiles.median;

import dev.llmproxy.bench.CpuMeter.Role;
import java.util.List;
import java.util.Map;

/**
 * The report's "Translation cost per streamed event" section ({@link DialectScenario}): per client dialect,
 * the gateway's CPU per upstream event, and what it spends beyond the OpenAI pass-through (the first row).
 */
record DialectTable(Settings s, DialectScenario.Result result) {
  void appendTo(StringBuilder md) {
    md.append("## Translation cost per streamed event\n\n");
    md.append(String.format("The same upstream stream (%d chat chunks and [DONE], sent as fast as they go) asked for "
        + "through each dialect's streaming endpoint, %d streams per batch, %d at a time; the gateway's CPU (user + "
        + "system, /proc) per upstream event, median over %d rounds, dialects interleaved.%n%n", s.dialectEvents(),
        s.dialectRequests(), s.dialectConcurrency(), s.rounds()));
    md.append("| dialect | client events per stream | gateway CPU per upstream event (µs) | beyond pass-through (µs) "
        + "| streams/s |\n|---|---|---|---|---|\n");
    double base = Double.NaN;
    for (Map.Entry<DialectScenario.Dialect, List<InterleavedRounds.Measured<DialectScenario.Batch>>> e
        : result.byDialect().entrySet()) {
      List<InterleavedRounds.Measured<DialectScenario.Batch>> runs = e.getValue();
      double perEvent = median(runs, m -> m.cpu().of(Role.GATEWAY) * 1e6
          / ((double) m.result().requests() * s.dialectEvents()));
      if (Double.isNaN(base)) {
        base = perEvent;
      }
      md.append(String.format("| %s | %.0f | %.2f | %s | %.0f |%n", e.getKey().name(),
          median(runs, m -> m.result().clientEvents() / (double) m.result().requests()), perEvent,
          perEvent == base ? "—" : String.format("%+.2f", perEvent - base),
          median(runs, m -> m.result().requests() / m.result().seconds())));
    }
    md.append('\n');
  }
}
