package dev.llmproxy.bench;

import static dev.llmproxy.bench.Format.mib;

import java.util.Map;

/**
 * Renders one run's {@link Results} as a Markdown report: a header, the summary table, where the CPU
 * goes, the translation cost per event, the per-round tables, the open-streams details and the setup.
 * Medians over rounds throughout. The third leg (nginx, or a second gateway) has its own columns; when
 * nginx is not available they say so and the rest is unchanged. Only the scenarios that ran are reported.
 */
record Report(Settings s, Results results) {
  String toMarkdown() {
    String third = results.thirdLegName();
    StringBuilder md = new StringBuilder();
    md.append("# llm-proxy benchmark: gateway vs direct\n\n");
    md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
        .append(". All traffic on 127.0.0.1; client, gateway, ").append(results.hasThirdLeg() ? third + " " : "")
        .append("and upstream share the cores. ")
        .append(String.format("%d interleaved rounds (direct, then gateway%s), medians over rounds; "
            + "run took %.0f s; load average (1/5/15 min) %s at the start, %s at the end.%n%n", roundsRun(),
            results.hasThirdLeg() ? ", then " + third : "", results.totalSeconds, results.loadAtStart,
            results.loadAtEnd));
    if (results.handOff != null) {
      md.append("One thread waking another on this machine (idle 100 µs before each, as at c=1): ")
          .append(results.handOff.describe())
          .append(". A request crosses threads several times on each side; the c=1 tails are read against it.\n\n");
    }
    md.append(String.format("Gateway: %s, upstream leg %s.%s%n%n", results.gatewayContainer, upstreamLeg(),
        results.variant == null ? "" : " Third leg: a second gateway, **" + results.variant.name() + "**: "
            + results.variant.describe(s.variantJvmExtra()) + "."));
    new SummaryTable(s, results).appendTo(md);
    new CpuCostTable(s, results).appendTo(md);
    new SwitchTable(results).appendTo(md);
    if (results.dialects != null) {
      new DialectTable(s, results.dialects).appendTo(md);
    }
    new PerRoundTables(s, results).appendTo(md);
    if (!results.streams.isEmpty()) {
      openStreams(md);
    }
    setup(md);
    return md.toString();
  }

  private String upstreamLeg() {
    return s.upstreamIsHttp2() ? "HTTP/2 (`upstream.http2: force`, h2c)"
        : "HTTP/1.1 (`upstream.http2: " + s.upstreamHttp2() + "`, the default toward http:// upstreams)";
  }

  /** The large stream has its own count of rounds; a run of only that scenario reports it. */
  private int roundsRun() {
    boolean roundScenarios = s.runs("latency") || s.runs("saturation") || s.runs("first-event") || s.runs("dialects");
    return roundScenarios || !s.runs("big") ? s.rounds() : s.bigRounds();
  }

  private void openStreams(StringBuilder md) {
    md.append("## Open streams\n\n");
    for (Map.Entry<Target, OpenStreamsScenario.Result> e : results.streams.entrySet()) {
      OpenStreamsScenario.Result r = e.getValue();
      String who = switch (e.getKey()) {
        case DIRECT -> "directly";
        case GATEWAY -> "through the gateway";
        default -> "through " + results.thirdLegName();
      };
      md.append(String.format("- %s: %d streams opened at %d/s, each %d events one every %d ms; %d open when "
          + "sampled, peak %d, %d complete, %d events lost, %d reordered; test took %.0f s.", who, r.target,
          s.rampPerSecond(), s.streamEvents(), s.streamPaceMillis(), r.openAtSample, r.peakOpen, r.completed,
          r.lostEvents, r.reordered, r.seconds));
      if (r.probed) {
        md.append(String.format(" Live heap %s before, %s at the peak (%.1f KiB per open stream); heap used %s "
            + "(committed %s) before the GC.", mib(r.liveHeapBefore), mib(r.liveHeapAtPeak),
            r.heapPerStream() / 1024, mib(r.heapUsedAtPeak), mib(r.heapCommittedAtPeak)));
      }
      if (!r.failures.isEmpty()) {
        md.append(" Failures: ").append(r.failures).append('.');
      }
      md.append('\n');
    }
    OpenStreamsScenario.Result g = results.streams.get(Target.GATEWAY);
    if (g != null) {
      md.append("\nGateway threads at peak by name: ").append(g.threadNames).append(".\n");
    }
    md.append('\n');
  }

  private void setup(StringBuilder md) {
    md.append("## Setup\n\n");
    md.append(String.format("- gateway: built WAR in %s; JVM -Xmx%dm G1%s; config `debug: false`, "
        + "`upstream.http2: %s`, "
        + "client key check on%s, usage store and state store at their defaults unless a second gateway says "
        + "otherwise.%n", results.gatewayContainer, s.gatewayHeapMiB(),
        s.gatewayJvmExtra().isBlank() ? ""
            : " with `" + s.gatewayJvmExtra().trim() + "` (a collector named there replaces G1)",
        s.upstreamHttp2(),
        s.limitedKeys() == 0 ? "" : " (" + s.limitedKeys() + " client keys with limits)"));
    if (results.peer != null) {
      md.append(String.format("- nginx (peer): %s, %d worker processes, as a child process on a generated config: "
          + "%s. It only forwards bytes (no key check, routing, model rewrite or SSE parsing). Not run in the "
          + "open-streams scenario (4), which measures the gateway's own threads and heap.%n",
          results.peer.version, results.peer.workers, NginxPeer.ESSENTIALS));
    } else if (results.blockingProxy) {
      md.append("- blocking proxy (peer): the gateway's container and connector with one servlet that relays each "
          + "request on the container's worker thread with blocking sockets (a kept-alive HTTP/1.1 connection per "
          + "request in flight, HTTP framing only, a flush whenever the upstream has nothing more waiting; "
          + "`BlockingProxyServlet`): the least a proxy in this container can cost, parking a thread per request in "
          + "flight, which the gateway must not. Not run in the open-streams scenario (4).\n");
    } else if (results.variant == null) {
      md.append("- nginx (peer): ").append(Format.NOT_AVAILABLE).append(" (").append(results.peerUnavailable)
          .append(").\n");
    }
    md.append("- container floor: the gateway's container and connector with one servlet that reads the body, hands "
        + "over to another thread and writes the upstream's JSON (`FloorServlet`).\n");
    md.append("- upstream: Jetty 12 core handler, HTTP/1.1 + h2c; load: wrk 4.1 (plain requests, c=1 with -t1, "
        + "saturation with -t" + s.saturationThreads() + "), Jetty HttpClient over HTTP/1.1 (streams, one client "
        + "per open-streams run), curl (raw sink).\n");
    md.append(String.format("- rounds %d; c=1 runs %d s; saturation runs %d s; %d sequential streams per "
        + "first-event round; %d × %d MiB rounds.%n", s.rounds(), s.latencySeconds(), s.saturationSeconds(),
        s.firstEventRequests(), s.bigRounds(), s.bigMiB()));
    if (!s.only().isBlank()) {
      md.append("- partial run (`-Dbench.only=").append(s.only())
          .append("`): the scenarios it does not name did not run and are left out above.\n");
    }
  }
}
