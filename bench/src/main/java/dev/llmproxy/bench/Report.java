package dev.llmproxy.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * Collects every round's numbers and renders bench/results/latest.md. Medians over rounds throughout.
 * The nginx peer has its own columns; when it is not available they say so and the rest is unchanged.
 */
final class Report {
  /**
   * One interleaved round: direct, gateway and (when it runs) the nginx peer, else {@code peer} is null;
   * foreign* = cores used by other processes on the machine during each run.
   */
  record Round<T>(T direct, T gateway, T peer, double foreignDirect, double foreignGateway, double foreignPeer) {
    String foreign() {
      return String.format("%.2f / %.2f", foreignDirect, foreignGateway)
          + (peer == null ? "" : String.format(" / %.2f", foreignPeer));
    }
  }

  /** One 1 GiB relay: throughput and (gateway only) heap readings in bytes; liveMid &lt; 0 when not measured. */
  record Big(double mibPerSecond, long liveBefore, long liveMid, long usedPeak) {}

  static final class Streams {
    int target;
    int openAtSample;
    int peakOpen;
    int completed;
    long lostEvents;
    long reordered;
    int threadsBefore;
    int threadsAt1k;
    int threadsAtPeak;
    long heapUsedAtPeak;
    long heapCommittedAtPeak;
    long liveHeapAtPeak;
    double seconds;
    Map<String, Integer> failures = Map.of();
    Map<String, Integer> threadNames = Map.of();
  }

  private static final long MIB = 1024 * 1024;
  private static final String NOT_AVAILABLE = "not available";

  private final Settings s;
  final List<Round<Wrk.Result>> latency = new ArrayList<>();
  final List<Round<Wrk.Result>> saturation = new ArrayList<>();
  final List<Round<double[]>> firstEvent = new ArrayList<>();
  final List<Round<Big>> big = new ArrayList<>();
  final List<Round<Double>> bigRaw = new ArrayList<>();
  Streams streams;
  int idleThreads;
  long idleLiveHeap;
  String upstreamProtocols = "";
  double totalSeconds;
  /** The running peer, or null; then {@link #peerUnavailable} says why. */
  NginxPeer peer;
  String peerUnavailable = "";

  Report(Settings s) {
    this.s = s;
  }

  String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("# llm-proxy benchmark: gateway vs direct\n\n");
    md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
        .append(". All traffic on 127.0.0.1; client, gateway, ").append(peer == null ? "" : "nginx ")
        .append("and upstream share the cores. ")
        .append(String.format("%d interleaved rounds (direct, then gateway%s), medians over rounds; "
            + "run took %.0f s.%n%n", s.rounds(), peer == null ? "" : ", then nginx", totalSeconds));
    summary(md);
    perRound(md);
    if (streams != null) {
      openStreams(md);
    }
    setup(md);
    return md.toString();
  }

  private void summary(StringBuilder md) {
    md.append("| # | metric | direct | gateway | gateway vs direct | target | met | nginx (peer) | nginx vs direct |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    double dP50 = median(latency, p -> p.direct().p50());
    double gP50 = median(latency, p -> p.gateway().p50());
    double addP50 = median(latency, p -> p.gateway().p50() - p.direct().p50());
    double dP99 = median(latency, p -> p.direct().p99());
    double gP99 = median(latency, p -> p.gateway().p99());
    double addP99 = median(latency, p -> p.gateway().p99() - p.direct().p99());
    row(md, "1", "latency c=1 p50 (ms)", f3(dP50), f3(gP50), plusMs(addP50), "≤ +0.3 ms", addP50 <= 0.3,
        peerMs(latency, Wrk.Result::p50));
    row(md, "1", "latency c=1 p99 (ms)", f3(dP99), f3(gP99), plusMs(addP99), "≤ +1 ms", addP99 <= 1.0,
        peerMs(latency, Wrk.Result::p99));
    double dRps = median(saturation, p -> p.direct().requestsPerSecond());
    double gRps = median(saturation, p -> p.gateway().requestsPerSecond());
    double ratio = median(saturation, p -> p.gateway().requestsPerSecond() / p.direct().requestsPerSecond());
    row(md, "2", "throughput at saturation, c=" + s.saturationConnections() + " (req/s)", f0(dRps), f0(gRps),
        pct(ratio), "≥ 50%", ratio >= 0.5, peerRatio(saturation, Wrk.Result::requestsPerSecond));
    double dT = median(firstEvent, p -> percentile(p.direct(), 50));
    double gT = median(firstEvent, p -> percentile(p.gateway(), 50));
    double addT = median(firstEvent, p -> percentile(p.gateway(), 50) - percentile(p.direct(), 50));
    double dT99 = median(firstEvent, p -> percentile(p.direct(), 99));
    double gT99 = median(firstEvent, p -> percentile(p.gateway(), 99));
    double addT99 = median(firstEvent, p -> percentile(p.gateway(), 99) - percentile(p.direct(), 99));
    row(md, "3", "time to first event p50 (ms)", f3(dT), f3(gT), plusMs(addT), "≤ +1 ms", addT <= 1.0,
        peerMs(firstEvent, v -> percentile(v, 50)));
    row(md, "3", "time to first event p99 (ms)", f3(dT99), f3(gT99), plusMs(addT99), "—", null,
        peerMs(firstEvent, v -> percentile(v, 99)));
    if (streams != null) {
      boolean ok = streams.peakOpen >= 10_000 && streams.lostEvents == 0 && streams.reordered == 0
          && streams.completed == streams.target;
      String[] notRun = {"not run", "—"};
      row(md, "4", "concurrent open SSE streams (0 lost/reordered)", "—",
          streams.peakOpen + " (" + streams.completed + "/" + streams.target + " complete)",
          streams.lostEvents + " lost, " + streams.reordered + " reordered", "≥ 10,000, 0 lost", ok, notRun);
      row(md, "4", "gateway live heap at that load (after GC)", "—", mib(streams.liveHeapAtPeak), "idle "
          + mib(idleLiveHeap), "≤ 512 MiB", streams.liveHeapAtPeak <= 512 * MIB, notRun);
      boolean flat = streams.threadsAtPeak - streams.threadsAt1k <= 4;
      row(md, "4", "gateway threads: at start / before streams / 1k streams / peak", "—",
          idleThreads + " / " + streams.threadsBefore + " / " + streams.threadsAt1k + " / " + streams.threadsAtPeak, "",
          "independent of streams", flat, notRun);
    }
    if (!big.isEmpty()) {
      double dB = median(big, p -> p.direct().mibPerSecond());
      double gB = median(big, p -> p.gateway().mibPerSecond());
      double bRatio = median(big, p -> p.gateway().mibPerSecond() / p.direct().mibPerSecond());
      Big last = big.get(big.size() - 1).gateway();
      long growth = last.liveMid() - last.liveBefore();
      row(md, "5", s.bigMiB() + " MiB stream throughput, SSE client (MiB/s)", f0(dB), f0(gB), pct(bRatio), "≥ 80%",
          bRatio >= 0.8, peerRatio(big, Big::mibPerSecond));
      if (!bigRaw.isEmpty()) {
        double rRatio = median(bigRaw, p -> p.gateway() / p.direct());
        row(md, "5", s.bigMiB() + " MiB stream throughput, raw sink curl (MiB/s)", f0(median(bigRaw, Round::direct)),
            f0(median(bigRaw, Round::gateway)), pct(rRatio), "≥ 80%", rRatio >= 0.8,
            peerRatio(bigRaw, Double::doubleValue));
      }
      row(md, "5", "gateway live-heap growth mid-stream", "—", mib(growth), "peak used incl. garbage "
          + mib(big.stream().mapToLong(p -> p.gateway().usedPeak()).max().orElse(0)), "≤ 64 MiB",
          growth <= 64 * MIB, new String[] {"—", "—"});
    }
    long errors = wrkErrors(saturation) + wrkErrors(latency);
    md.append('\n');
    md.append("wrk errors (non-2xx + socket) over all runs: ").append(errors).append(".\n");
    md.append("Upstream requests by protocol (the gateway's upstream leg should be HTTP/2): `")
        .append(upstreamProtocols.trim()).append("`.\n\n");
  }

  private void perRound(StringBuilder md) {
    boolean hasPeer = peer != null;
    String legs = hasPeer ? "direct/gw/nginx" : "direct/gw";
    md.append("## Per round\n\n");
    md.append("Other tenants' CPU use during each run is shown in cores (").append(legs.replace("/", " / "))
        .append("); the machine has ").append(Runtime.getRuntime().availableProcessors()).append(".\n\n");
    md.append("| round | c=1 p50 " + legs + " (ms) | c=1 p99 " + legs + " (ms) | foreign | saturation " + legs
        + " (req/s) | foreign | first event p50 " + legs + " (ms) | foreign |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < s.rounds(); i++) {
      md.append("| ").append(i + 1).append(" | ");
      if (i < latency.size()) {
        Round<Wrk.Result> l = latency.get(i);
        md.append(legs(l, Wrk.Result::p50, Report::f3)).append(" | ").append(legs(l, Wrk.Result::p99, Report::f3))
            .append(" | ").append(l.foreign()).append(" | ");
      } else {
        md.append(" | | | ");
      }
      if (i < saturation.size()) {
        md.append(legs(saturation.get(i), Wrk.Result::requestsPerSecond, Report::f0)).append(" | ")
            .append(saturation.get(i).foreign()).append(" | ");
      } else {
        md.append(" | | ");
      }
      if (i < firstEvent.size()) {
        md.append(legs(firstEvent.get(i), v -> percentile(v, 50), Report::f3)).append(" | ")
            .append(firstEvent.get(i).foreign());
      } else {
        md.append(" | ");
      }
      md.append(" |\n");
    }
    for (int i = 0; i < big.size(); i++) {
      Round<Big> b = big.get(i);
      md.append("\n").append(s.bigMiB()).append(" MiB round ").append(i + 1).append(": direct ")
          .append(f0(b.direct().mibPerSecond())).append(" MiB/s, gateway ")
          .append(f0(b.gateway().mibPerSecond())).append(" MiB/s");
      if (b.peer() != null) {
        md.append(", nginx ").append(f0(b.peer().mibPerSecond())).append(" MiB/s");
      }
      md.append(" (foreign ").append(b.foreign()).append(")");
      if (i < bigRaw.size()) {
        md.append("; curl ").append(legs.replace("/", " / ")).append(": ")
            .append(legs(bigRaw.get(i), Double::doubleValue, Report::f0)).append(" MiB/s");
      }
      md.append('.');
    }
    md.append("\n\n");
  }

  private void openStreams(StringBuilder md) {
    md.append("## Open streams\n\n");
    md.append(String.format("%d streams opened at %d/s through the gateway, each %d events one every %d ms; "
        + "%d open when sampled, peak %d; heap used %s (committed %s) before the GC; test took %.0f s.%n",
        streams.target, s.rampPerSecond(), s.streamEvents(), s.streamPaceMillis(), streams.openAtSample,
        streams.peakOpen, mib(streams.heapUsedAtPeak), mib(streams.heapCommittedAtPeak), streams.seconds));
    if (!streams.failures.isEmpty()) {
      md.append("Failures: ").append(streams.failures).append(".\n");
    }
    md.append("Gateway threads at peak by name: ").append(streams.threadNames).append(".\n\n");
  }

  private void setup(StringBuilder md) {
    md.append("## Setup\n\n");
    md.append(String.format("- gateway: built WAR in embedded Jetty 12 ee10, %d-thread pool, 1 acceptor, "
        + "1 selector per core, accept queue 4096; JVM -Xmx%dm G1; config `debug: false`, `upstream.http2: %s`, "
        + "client key check on.%n", s.gatewayMaxThreads(), s.gatewayHeapMiB(), s.upstreamHttp2()));
    if (peer != null) {
      md.append(String.format("- nginx (peer): %s, %d worker processes, as a child process on a generated config: "
          + "%s. It only forwards bytes (no key check, routing, model rewrite or SSE parsing). Not run in the "
          + "open-streams scenario (4), which measures the gateway's own threads and heap.%n",
          peer.version, peer.workers, NginxPeer.ESSENTIALS));
    } else {
      md.append("- nginx (peer): ").append(NOT_AVAILABLE).append(" (").append(peerUnavailable).append(").\n");
    }
    md.append("- upstream: Jetty 12 core handler, HTTP/1.1 + h2c; load: wrk 4.1 (plain requests, c=1 with -t1, "
        + "saturation with -t" + s.saturationThreads() + "), Jetty HttpClient over HTTP/1.1 (streams).\n");
    md.append(String.format("- rounds %d; c=1 runs %d s; saturation runs %d s; %d sequential streams per "
        + "first-event round; %d × %d MiB rounds.%n", s.rounds(), s.latencySeconds(), s.saturationSeconds(),
        s.firstEventRequests(), s.bigRounds(), s.bigMiB()));
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
    return peer == null ? new String[] {NOT_AVAILABLE, "—"} : new String[] {"—", "—"};
  }

  private static boolean hasPeer(List<? extends Round<?>> rounds) {
    return !rounds.isEmpty() && rounds.get(0).peer() != null;
  }

  /** "direct / gateway[ / peer]" for the per-round table. */
  private static <T> String legs(Round<T> r, ToDoubleFunction<T> f, DoubleFunction<String> format) {
    return format.apply(f.applyAsDouble(r.direct())) + " / " + format.apply(f.applyAsDouble(r.gateway()))
        + (r.peer() == null ? "" : " / " + format.apply(f.applyAsDouble(r.peer())));
  }

  private static long wrkErrors(List<Round<Wrk.Result>> rounds) {
    return rounds.stream()
        .mapToLong(p -> p.direct().errors() + p.gateway().errors() + (p.peer() == null ? 0 : p.peer().errors()))
        .sum();
  }

  /** One summary row; {@code peer} is the nginx value and its comparison with direct. */
  private static void row(StringBuilder md, String n, String metric, String direct, String gateway, String vs,
      String target, Boolean met, String[] peer) {
    md.append("| ").append(n).append(" | ").append(metric).append(" | ").append(direct).append(" | ")
        .append(gateway).append(" | ").append(vs).append(" | ").append(target).append(" | ")
        .append(met == null ? "" : met ? "yes" : "**no**").append(" | ").append(peer[0]).append(" | ")
        .append(peer[1]).append(" |\n");
  }

  static <T> double median(List<T> rounds, ToDoubleFunction<T> f) {
    return percentile(rounds.stream().mapToDouble(f).toArray(), 50);
  }

  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static String f3(double v) {
    return String.format("%.3f", v);
  }

  private static String f0(double v) {
    return String.format("%.0f", v);
  }

  /** A difference in ms with its sign: "+0.012 ms", "-0.004 ms". */
  private static String plusMs(double v) {
    return String.format("%+.3f ms", v);
  }

  private static String pct(double ratio) {
    return String.format("%.0f%%", ratio * 100);
  }

  private static String mib(long bytes) {
    return String.format("%.0f MiB", bytes / (double) MIB);
  }
}
