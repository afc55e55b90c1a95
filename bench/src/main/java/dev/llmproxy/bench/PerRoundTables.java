package dev.llmproxy.bench;

import static dev.llmproxy.bench.Format.f0;
import static dev.llmproxy.bench.Percentiles.percentile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The report's "Per round" section: one table row per round for the scenarios with interleaved rounds,
 * then one line per large-stream round, each with other tenants' CPU use. A scenario that did not run
 * has no columns (or lines); when none of them ran the section is left out.
 */
record PerRoundTables(Settings s, Results results) {
  /** One scenario's columns: their headings, and their cells in round {@code i} (blank if it has none). */
  private record Columns<T>(List<Round<T>> rounds, List<String> headings, Function<Round<T>, List<String>> cells) {
    List<String> cellsOf(int i) {
      return i < rounds.size() ? cells.apply(rounds.get(i)) : Collections.nCopies(headings.size(), "");
    }
  }

  void appendTo(StringBuilder md) {
    List<Columns<?>> columns = columns();
    if (columns.isEmpty() && results.big.isEmpty()) {
      return;
    }
    md.append("## Per round\n\n");
    md.append("Other tenants' CPU use during each run is shown in cores (").append(legNames().replace("/", " / "))
        .append("); the machine has ").append(Runtime.getRuntime().availableProcessors()).append(".\n\n");
    if (!columns.isEmpty()) {
      table(md, columns);
      if (!results.big.isEmpty()) {
        md.append('\n');
      }
    }
    bigStreamLines(md);
    md.append('\n');
  }

  private List<Columns<?>> columns() {
    List<Columns<?>> columns = new ArrayList<>();
    if (!results.latency.isEmpty()) {
      columns.add(new Columns<>(results.latency,
          List.of("c=1 p50 " + legNames() + " (ms)", "c=1 p99 " + legNames() + " (ms)", "foreign"),
          round -> List.of(perLeg(round, Wrk.Result::p50, Format::f3), perLeg(round, Wrk.Result::p99, Format::f3),
              round.foreign())));
    }
    if (!results.saturation.isEmpty()) {
      columns.add(new Columns<>(results.saturation, List.of("saturation " + legNames() + " (req/s)", "foreign"),
          round -> List.of(perLeg(round, Wrk.Result::requestsPerSecond, Format::f0), round.foreign())));
    }
    if (!results.firstEvent.isEmpty()) {
      columns.add(new Columns<>(results.firstEvent, List.of("first event p50 " + legNames() + " (ms)", "foreign"),
          round -> List.of(perLeg(round, v -> percentile(v, 50), Format::f3), round.foreign())));
    }
    return columns;
  }

  private void table(StringBuilder md, List<Columns<?>> columns) {
    List<String> headings = new ArrayList<>(List.of("round"));
    columns.forEach(c -> headings.addAll(c.headings()));
    md.append("| ").append(String.join(" | ", headings)).append(" |\n");
    md.append("|").append("---|".repeat(headings.size())).append('\n');
    for (int i = 0; i < s.rounds(); i++) {
      List<String> cells = new ArrayList<>(List.of(Integer.toString(i + 1)));
      for (Columns<?> c : columns) {
        cells.addAll(c.cellsOf(i));
      }
      md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
  }

  private void bigStreamLines(StringBuilder md) {
    for (int i = 0; i < results.big.size(); i++) {
      Round<BigStreamScenario.Transfer> b = results.big.get(i);
      md.append(s.bigMiB()).append(" MiB round ").append(i + 1).append(": direct ")
          .append(f0(b.direct().mibPerSecond())).append(" MiB/s, gateway ")
          .append(f0(b.gateway().mibPerSecond())).append(" MiB/s");
      if (b.peer() != null) {
        md.append(", ").append(results.thirdLegName()).append(' ').append(f0(b.peer().mibPerSecond())).append(" MiB/s");
      }
      md.append(" (foreign ").append(b.foreign()).append(")");
      if (i < results.bigRaw.size()) {
        md.append("; curl ").append(legNames().replace("/", " / ")).append(": ")
            .append(perLeg(results.bigRaw.get(i), Double::doubleValue, Format::f0)).append(" MiB/s");
      }
      md.append(".\n");
    }
  }

  /** "direct/gw/nginx" (or the second gateway's name), or "direct/gw" without a third leg. */
  private String legNames() {
    return results.hasThirdLeg() ? "direct/gw/" + results.thirdLegName() : "direct/gw";
  }

  /** "direct / gateway[ / peer]" for one cell. */
  private static <T> String perLeg(Round<T> round, ToDoubleFunction<T> f, DoubleFunction<String> format) {
    return format.apply(f.applyAsDouble(round.direct())) + " / " + format.apply(f.applyAsDouble(round.gateway()))
        + (round.peer() == null ? "" : " / " + format.apply(f.applyAsDouble(round.peer())));
  }
}
