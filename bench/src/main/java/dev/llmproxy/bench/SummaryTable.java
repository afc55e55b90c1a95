package dev.llmproxy.bench;

import static dev.llmproxy.bench.Format.MIB;
import static dev.llmproxy.bench.Format.f0;
import static dev.llmproxy.bench.Format.f3;
import static dev.llmproxy.bench.Format.mib;
import static dev.llmproxy.bench.Format.pct;
import static dev.llmproxy.bench.Format.plusMs;
import static dev.llmproxy.bench.Percentiles.median;
import static dev.llmproxy.bench.Percentiles.percentile;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The report's first table: per metric the medians over rounds, the gateway against direct and its
 * target, and the nginx peer against direct. Rows of a scenario that did not run are left out, so a
 * partial run never shows a target as missed that was not measured.
 */
record SummaryTable(Settings s, Results results) {
  /** nginx is not run in the open-streams scenario. */
  private static final String[] PEER_NOT_RUN = {"not run", "—"};
  private static final String[] NO_PEER_VALUE = {"—", "—"};

  void appendTo(StringBuilder md) {
    md.append("| # | metric | direct | gateway | gateway vs direct | target | met | nginx (peer) | nginx vs direct |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    if (!results.latency.isEmpty()) {
      latencyRows(md);
    }
    if (!results.saturation.isEmpty()) {
      saturationRow(md);
    }
    if (!results.firstEvent.isEmpty()) {
      firstEventRows(md);
    }
    if (results.streams != null) {
      openStreamsRows(md, results.streams);
    }
    if (!results.big.isEmpty()) {
      bigStreamRows(md);
    }
    md.append('\n');
    if (results.hasPlainRequests()) {
      md.append("wrk errors (non-2xx + socket) over all runs: ").append(wrkErrors()).append(".\n");
    }
    md.append("Upstream requests by protocol (the gateway's upstream leg should be HTTP/2): `")
        .append(results.upstreamProtocols.trim()).append("`.\n\n");
  }

  private void latencyRows(StringBuilder md) {
    List<Round<Wrk.Result>> rounds = results.latency;
    double addP50 = median(rounds, p -> p.gateway().p50() - p.direct().p50());
    double addP99 = median(rounds, p -> p.gateway().p99() - p.direct().p99());
    row(md, "1", "latency c=1 p50 (ms)", f3(median(rounds, p -> p.direct().p50())),
        f3(median(rounds, p -> p.gateway().p50())), plusMs(addP50), "≤ +0.3 ms", addP50 <= 0.3,
        peerMs(rounds, Wrk.Result::p50));
    row(md, "1", "latency c=1 p99 (ms)", f3(median(rounds, p -> p.direct().p99())),
        f3(median(rounds, p -> p.gateway().p99())), plusMs(addP99), "≤ +1 ms", addP99 <= 1.0,
        peerMs(rounds, Wrk.Result::p99));
  }

  private void saturationRow(StringBuilder md) {
    List<Round<Wrk.Result>> rounds = results.saturation;
    double ratio = median(rounds, p -> p.gateway().requestsPerSecond() / p.direct().requestsPerSecond());
    row(md, "2", "throughput at saturation, c=" + s.saturationConnections() + " (req/s)",
        f0(median(rounds, p -> p.direct().requestsPerSecond())),
        f0(median(rounds, p -> p.gateway().requestsPerSecond())), pct(ratio), "≥ 50%", ratio >= 0.5,
        peerRatio(rounds, Wrk.Result::requestsPerSecond));
  }

  private void firstEventRows(StringBuilder md) {
    List<Round<double[]>> rounds = results.firstEvent;
    double addT = median(rounds, p -> percentile(p.gateway(), 50) - percentile(p.direct(), 50));
    double addT99 = median(rounds, p -> percentile(p.gateway(), 99) - percentile(p.direct(), 99));
    row(md, "3", "time to first event p50 (ms)", f3(median(rounds, p -> percentile(p.direct(), 50))),
        f3(median(rounds, p -> percentile(p.gateway(), 50))), plusMs(addT), "≤ +1 ms", addT <= 1.0,
        peerMs(rounds, v -> percentile(v, 50)));
    row(md, "3", "time to first event p99 (ms)", f3(median(rounds, p -> percentile(p.direct(), 99))),
        f3(median(rounds, p -> percentile(p.gateway(), 99))), plusMs(addT99), "—", null,
        peerMs(rounds, v -> percentile(v, 99)));
  }

  /** Gateway only: nginx is not run in this scenario. */
  private void openStreamsRows(StringBuilder md, OpenStreamsScenario.Result streams) {
    boolean ok = streams.peakOpen >= 10_000 && streams.lostEvents == 0 && streams.reordered == 0
        && streams.completed == streams.target;
    row(md, "4", "concurrent open SSE streams (0 lost/reordered)", "—",
        streams.peakOpen + " (" + streams.completed + "/" + streams.target + " complete)",
        streams.lostEvents + " lost, " + streams.reordered + " reordered", "≥ 10,000, 0 lost", ok, PEER_NOT_RUN);
    row(md, "4", "gateway live heap at that load (after GC)", "—", mib(streams.liveHeapAtPeak), "idle "
        + mib(results.idleLiveHeap), "≤ 512 MiB", streams.liveHeapAtPeak <= 512 * MIB, PEER_NOT_RUN);
    boolean flat = streams.threadsAtPeak - streams.threadsAt1k <= 4;
    row(md, "4", "gateway threads: at start / before streams / 1k streams / peak", "—",
        results.idleThreads + " / " + streams.threadsBefore + " / " + streams.threadsAt1k + " / "
            + streams.threadsAtPeak, "", "independent of streams", flat, PEER_NOT_RUN);
  }

  private void bigStreamRows(StringBuilder md) {
    List<Round<BigStreamScenario.Transfer>> rounds = results.big;
    double ratio = median(rounds, p -> p.gateway().mibPerSecond() / p.direct().mibPerSecond());
    BigStreamScenario.Transfer last = rounds.get(rounds.size() - 1).gateway();
    long growth = last.liveMid() - last.liveBefore();
    row(md, "5", s.bigMiB() + " MiB stream throughput, SSE client (MiB/s)",
        f0(median(rounds, p -> p.direct().mibPerSecond())), f0(median(rounds, p -> p.gateway().mibPerSecond())),
        pct(ratio), "≥ 80%", ratio >= 0.8, peerRatio(rounds, BigStreamScenario.Transfer::mibPerSecond));
    if (!results.bigRaw.isEmpty()) {
      double rawRatio = median(results.bigRaw, p -> p.gateway() / p.direct());
      row(md, "5", s.bigMiB() + " MiB stream throughput, raw sink curl (MiB/s)",
          f0(median(results.bigRaw, Round::direct)), f0(median(results.bigRaw, Round::gateway)), pct(rawRatio),
          "≥ 80%", rawRatio >= 0.8, peerRatio(results.bigRaw, Double::doubleValue));
    }
    row(md, "5", "gateway live-heap growth mid-stream", "—", mib(growth), "peak used incl. garbage "
        + mib(rounds.stream().mapToLong(p -> p.gateway().usedPeak()).max().orElse(0)), "≤ 64 MiB",
        growth <= 64 * MIB, NO_PEER_VALUE);
  }

  /** The peer's median and its median difference to direct, in ms. */
  private <T> String[] peerMs(List<Round<T>> rounds, ToDoubleFunction<T> f) {
    if (!hasPeer(rounds)) {
      return unavailable();
    }
    return new String[] {f3(median(rounds, p -> f.applyAsDouble(p.peer()))),
        plusMs(median(rounds, p -> f.applyAsDouble(p.peer()) - f.applyAsDouble(p.direct())))};
  }

  /** The peer's median and its median ratio to direct. */
  private <T> String[] peerRatio(List<Round<T>> rounds, ToDoubleFunction<T> f) {
    if (!hasPeer(rounds)) {
      return unavailable();
    }
    return new String[] {f0(median(rounds, p -> f.applyAsDouble(p.peer()))),
        pct(median(rounds, p -> f.applyAsDouble(p.peer()) / f.applyAsDouble(p.direct())))};
  }

  private String[] unavailable() {
    return results.peer == null ? new String[] {Format.NOT_AVAILABLE, "—"} : NO_PEER_VALUE;
  }

  private static boolean hasPeer(List<? extends Round<?>> rounds) {
    return !rounds.isEmpty() && rounds.get(0).peer() != null;
  }

  private long wrkErrors() {
    return wrkErrors(results.saturation) + wrkErrors(results.latency)
        + results.floor.stream().mapToLong(m -> m.result().errors()).sum();
  }

  private static long wrkErrors(List<Round<Wrk.Result>> rounds) {
    return rounds.stream()
        .mapToLong(p -> p.direct().errors() + p.gateway().errors() + (p.peer() == null ? 0 : p.peer().errors()))
        .sum();
  }

  /** One row; {@code peer} is the nginx value and its comparison with direct; {@code met} null: no target. */
  private static void row(StringBuilder md, String n, String metric, String direct, String gateway, String vs,
      String target, Boolean met, String[] peer) {
    md.append("| ").append(n).append(" | ").append(metric).append(" | ").append(direct).append(" | ")
        .append(gateway).append(" | ").append(vs).append(" | ").append(target).append(" | ")
        .append(met == null ? "" : met ? "yes" : "**no**").append(" | ").append(peer[0]).append(" | ")
        .append(peer[1]).append(" |\n");
  }
}
