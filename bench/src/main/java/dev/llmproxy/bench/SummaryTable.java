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
 * target, and the third leg (nginx, or a second gateway)
 * against direct. Rows of a scenario that did not run are left out, so a partial run never shows a target as
 * missed that was not measured.
 */
record SummaryTable(Settings s, Results results) {
  /** nginx is not run in the open-streams scenario. */
  private static final String[] PEER_NOT_RUN = {"not run", "—"};
  private static final double KIB = 1024;
  private static final String[] NO_PEER_VALUE = {"—", "—"};

  void appendTo(StringBuilder md) {
    String third = results.thirdLegName();
    md.append("| # | metric | direct | gateway | gateway vs direct | target | met | ").append(third)
        .append(results.variant == null ? " (peer)" : " (second gateway)").append(" | ").append(third)
        .append(" vs direct |\n");
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
    if (results.streams.containsKey(Target.GATEWAY)) {
      openStreamsRows(md);
    }
    if (!results.big.isEmpty()) {
      bigStreamRows(md);
    }
    md.append('\n');
    if (!results.latencyFloor.isEmpty()) {
      latencyFloorLine(md);
    }
    if (results.hasPlainRequests()) {
      md.append("wrk errors (non-2xx + socket) over all runs: ").append(wrkErrors()).append(".\n");
    }
    md.append("Upstream requests by protocol (the gateway's upstream leg should be ")
        .append(s.upstreamIsHttp2() ? "HTTP/2" : "HTTP/1.1").append("): `")
        .append(results.upstreamProtocols.trim()).append("`.\n\n");
  }

  private void latencyRows(StringBuilder md) {
    List<Round<Wrk.Result>> rounds = results.latency;
    double addP50 = median(rounds, p -> p.gateway().p50() - p.direct().p50());
    double addP99 = median(rounds, p -> p.gateway().p99() - p.direct().p99());
    row(md, "1", "latency c=1 p50 (ms)", f3(median(rounds, p -> p.direct().p50())),
        f3(median(rounds, p -> p.gateway().p50())), plusMs(addP50), "≤ +0.2 ms", addP50 <= 0.2,
        peerMs(rounds, Wrk.Result::p50));
    row(md, "1", "latency c=1 p99 (ms)", f3(median(rounds, p -> p.direct().p99())),
        f3(median(rounds, p -> p.gateway().p99())), plusMs(addP99), "≤ +0.5 ms", addP99 <= 0.5,
        peerMs(rounds, Wrk.Result::p99));
  }

  /** The container floor at c=1 beside direct and the gateway: the share of the gateway's tail its container has. */
  private void latencyFloorLine(StringBuilder md) {
    List<InterleavedRounds.Measured<Wrk.Result>> floor = results.latencyFloor;
    md.append(String.format("Container floor at c=1 (the gateway's container and connector, one thread hand-off, no "
        + "upstream call; after each latency round): p50 %s ms, p99 %s ms, medians over rounds.%n%n",
        f3(median(floor, m -> m.result().p50())), f3(median(floor, m -> m.result().p99()))));
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
        f3(median(rounds, p -> percentile(p.gateway(), 50))), plusMs(addT), "≤ +0.5 ms", addT <= 0.5,
        peerMs(rounds, v -> percentile(v, 50)));
    row(md, "3", "time to first event p99 (ms)", f3(median(rounds, p -> percentile(p.direct(), 99))),
        f3(median(rounds, p -> percentile(p.gateway(), 99))), plusMs(addT99), "—", null,
        peerMs(rounds, v -> percentile(v, 99)));
  }

  /** Direct, the gateway and a second gateway; nginx is not run in this scenario. */
  private void openStreamsRows(StringBuilder md) {
    OpenStreamsScenario.Result direct = results.streams.get(Target.DIRECT);
    OpenStreamsScenario.Result gateway = results.streams.get(Target.GATEWAY);
    OpenStreamsScenario.Result third = results.streams.get(Target.PEER);
    int goal = s.upstreamIsHttp2() ? 10_000 : 9_000;
    boolean ok = gateway.peakOpen >= goal && gateway.intact() && (direct == null || direct.intact());
    row(md, "4", "concurrent open SSE streams, intact (" + (s.upstreamIsHttp2() ? "h2" : "HTTP/1.1")
        + " upstream leg)", direct == null ? "—" : streams(direct), streams(gateway),
        gateway.lostEvents + " lost, " + gateway.reordered + " reordered", String.format("≥ %,d, 0 lost", goal), ok,
        third == null ? PEER_NOT_RUN : new String[] {streams(third), third.lostEvents + " lost"});
    row(md, "4", "gateway live heap at that load (after GC), per open stream", "—",
        mib(gateway.liveHeapAtPeak) + ", " + String.format("%.1f KiB", gateway.heapPerStream() / KIB),
        "idle " + mib(results.idleLiveHeap), "measured", null, third == null ? PEER_NOT_RUN
            : new String[] {mib(third.liveHeapAtPeak) + ", " + String.format("%.1f KiB", third.heapPerStream() / KIB),
                "—"});
    boolean flat = gateway.threadsAtPeak - gateway.threadsAt1k <= 4;
    row(md, "4", "gateway threads: at start / before streams / 1k streams / peak", "—",
        results.idleThreads + " / " + gateway.threadsBefore + " / " + gateway.threadsAt1k + " / "
            + gateway.threadsAtPeak, "", "independent of streams", flat, third == null ? PEER_NOT_RUN
            : new String[] {third.threadsBefore + " / " + third.threadsAt1k + " / " + third.threadsAtPeak, "—"});
  }

  private static String streams(OpenStreamsScenario.Result r) {
    return r.peakOpen + " (" + r.completed + "/" + r.target + " complete)";
  }

  private void bigStreamRows(StringBuilder md) {
    List<Round<BigStreamScenario.Transfer>> rounds = results.big;
    double ratio = median(rounds, p -> p.gateway().mibPerSecond() / p.direct().mibPerSecond());
    BigStreamScenario.Transfer last = rounds.get(rounds.size() - 1).gateway();
    long growth = last.liveMid() - last.liveBefore();
    row(md, "5", s.bigMiB() + " MiB stream throughput, SSE client (MiB/s)",
        f0(median(rounds, p -> p.direct().mibPerSecond())), f0(median(rounds, p -> p.gateway().mibPerSecond())),
        pct(ratio), "≥ 50%", ratio >= 0.5, peerRatio(rounds, BigStreamScenario.Transfer::mibPerSecond));
    if (!results.bigRaw.isEmpty()) {
      double rawRatio = median(results.bigRaw, p -> p.gateway() / p.direct());
      row(md, "5", s.bigMiB() + " MiB stream throughput, raw sink curl (MiB/s)",
          f0(median(results.bigRaw, Round::direct)), f0(median(results.bigRaw, Round::gateway)), pct(rawRatio),
          "≥ 50%", rawRatio >= 0.5, peerRatio(results.bigRaw, Double::doubleValue));
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
    return results.hasThirdLeg() ? NO_PEER_VALUE : new String[] {Format.NOT_AVAILABLE, "—"};
  }

  private static boolean hasPeer(List<? extends Round<?>> rounds) {
    return !rounds.isEmpty() && rounds.get(0).peer() != null;
  }

  private long wrkErrors() {
    return wrkErrors(results.saturation) + wrkErrors(results.latency)
        + results.saturationFloor.stream().mapToLong(m -> m.result().errors()).sum()
        + results.latencyFloor.stream().mapToLong(m -> m.result().errors()).sum();
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
