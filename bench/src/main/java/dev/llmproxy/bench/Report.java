package dev.llmproxy.bench;

import static dev.llmproxy.bench.Format.mib;

/**
 * Renders one run's {@link Results} as bench/results/latest.md: a header, the summary table, where
 * the CPU goes, the per-round tables, the open-streams details and the setup. Medians over rounds
 * throughout. The nginx peer has its own columns; when it is not available they say so and the rest is
 * unchanged. Only the scenarios that ran are reported.
 */
record Report(Settings s, Results results) {
  String toMarkdown() {
    boolean hasPeer = results.peer != null;
    StringBuilder md = new StringBuilder();
    md.append("# llm-proxy benchmark: gateway vs direct\n\n");
    md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
        .append(". All traffic on 127.0.0.1; client, gateway, ").append(hasPeer ? "nginx " : "")
        .append("and upstream share the cores. ")
        .append(String.format("%d interleaved rounds (direct, then gateway%s), medians over rounds; "
            + "run took %.0f s.%n%n", roundsRun(), hasPeer ? ", then nginx" : "", results.totalSeconds));
    new SummaryTable(s, results).appendTo(md);
    new CpuCostTable(s, results).appendTo(md);
    new PerRoundTables(s, results).appendTo(md);
    if (results.streams != null) {
      openStreams(md, results.streams);
    }
    setup(md);
    return md.toString();
  }

  /** The large stream has its own count of rounds; a run of only that scenario reports it. */
  private int roundsRun() {
    boolean roundScenarios = s.runs("latency") || s.runs("saturation") || s.runs("first-event");
    return roundScenarios || !s.runs("big") ? s.rounds() : s.bigRounds();
  }

  private void openStreams(StringBuilder md, OpenStreamsScenario.Result streams) {
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
    String container = s.container().equals("tomcat")
        ? results.gatewayContainer + " (official distribution), NIO connector, " + s.gatewayMaxThreads()
            + " threads, maxConnections 20000, acceptCount 4096, unlimited keep-alive requests"
        : "embedded Jetty 12 ee10, " + s.gatewayMaxThreads() + "-thread pool, 1 acceptor, 1 selector per core, "
            + "accept queue 4096";
    md.append(String.format("- gateway: built WAR in %s; JVM -Xmx%dm G1; config `debug: false`, `upstream.http2: %s`, "
        + "client key check on.%n", container, s.gatewayHeapMiB(), s.upstreamHttp2()));
    if (results.peer != null) {
      md.append(String.format("- nginx (peer): %s, %d worker processes, as a child process on a generated config: "
          + "%s. It only forwards bytes (no key check, routing, model rewrite or SSE parsing). Not run in the "
          + "open-streams scenario (4), which measures the gateway's own threads and heap.%n",
          results.peer.version, results.peer.workers, NginxPeer.ESSENTIALS));
    } else {
      md.append("- nginx (peer): ").append(Format.NOT_AVAILABLE).append(" (").append(results.peerUnavailable)
          .append(").\n");
    }
    md.append("- upstream: Jetty 12 core handler, HTTP/1.1 + h2c; load: wrk 4.1 (plain requests, c=1 with -t1, "
        + "saturation with -t" + s.saturationThreads() + "), Jetty HttpClient over HTTP/1.1 (streams).\n");
    md.append(String.format("- rounds %d; c=1 runs %d s; saturation runs %d s; %d sequential streams per "
        + "first-event round; %d × %d MiB rounds.%n", s.rounds(), s.latencySeconds(), s.saturationSeconds(),
        s.firstEventRequests(), s.bigRounds(), s.bigMiB()));
    if (!s.only().isBlank()) {
      md.append("- partial run (`-Dbench.only=").append(s.only())
          .append("`): the scenarios it does not name did not run and are left out above.\n");
    }
  }
}
