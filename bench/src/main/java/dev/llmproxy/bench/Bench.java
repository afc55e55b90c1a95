package dev.llmproxy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark driver (issue 6): starts the fake upstream and the gateway (the built WAR in embedded
 * Jetty 12) as separate JVMs on 127.0.0.1, and nginx in front of the same upstream as a peer when it
 * is installed; measures each scenario directly against the upstream, through the gateway and through
 * nginx, interleaved round by round, and writes a Markdown report.
 * Usage: {@code Bench <war> <results-dir>}; knobs are {@code -Dbench.*} system properties (see {@link Settings}).
 */
public final class Bench {
  static final String CLIENT_KEY = "bench-key";

  /** Where a run sends its requests. */
  private enum Target { DIRECT, GATEWAY, PEER }

  /** One leg of an interleaved round. */
  @FunctionalInterface
  private interface Leg<T> {
    T run(Target target) throws Exception;
  }

  private final Settings s;
  private final Path war;
  private final Path resultsDir;
  private final Report report;
  private GatewayProbe probe;
  private SseClient sse;
  private CpuMeter cpu;
  private boolean hasPeer;

  private Bench(Settings s, Path war, Path resultsDir) {
    this.s = s;
    this.war = war;
    this.resultsDir = resultsDir;
    this.report = new Report(s);
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromSystemProperties();
    new Bench(settings, Path.of(args[0]), Path.of(args[1])).run();
    System.exit(0);
  }

  private void run() throws Exception {
    long t0 = System.nanoTime();
    Path work = Files.createTempDirectory("llm-proxy-bench");
    Path logs = resultsDir.resolve("logs");
    Files.createDirectories(logs);
    Files.writeString(work.resolve("config.yaml"), gatewayConfig());
    Processes processes = new Processes(logs);
    try {
      log("starting fake upstream on :" + s.upstreamPort() + " and gateway on :" + s.gatewayPort());
      Process upstream = processes.startJava("upstream", List.of("-Xms1g", "-Xmx1g"), FakeUpstream.class.getName(),
          List.of(Integer.toString(s.upstreamPort())), s.upstreamPort());
      Process gateway = processes.startJava("gateway", gatewayJvmOptions(work), GatewayServer.class.getName(),
          List.of(Integer.toString(s.gatewayPort()), war.toString()), s.gatewayPort());
      List<ProcessHandle> servers = new ArrayList<>(List.of(upstream.toHandle(), gateway.toHandle()));
      startPeer(processes, work).ifPresent(servers::add);
      cpu = new CpuMeter(servers);
      probe = new GatewayProbe(s.jmxPort());
      sse = new SseClient(s.streams() + 100);
      report.idleThreads = probe.threadCount();
      report.idleLiveHeap = probe.liveHeap();

      Wrk wrk = new Wrk(work, jsonBody("bench-json", false));
      if (s.runs("latency") || s.runs("saturation") || s.runs("first-event")) {
        warmUp(wrk);
      }
      if (s.runs("latency")) {
        measureLatency(wrk);
      }
      if (s.runs("saturation")) {
        measureSaturation(wrk);
      }
      if (s.runs("first-event")) {
        measureFirstEvent();
      }
      if (s.runs("big")) {
        measureBigStream();
      }
      if (s.runs("streams")) {
        measureOpenStreams();
      }
      report.upstreamProtocols = get(upstreamUrl("/stats"));
    } finally {
      if (sse != null) {
        sse.close();
      }
      if (probe != null) {
        probe.close();
      }
      processes.stopAll();
    }
    report.totalSeconds = (System.nanoTime() - t0) / 1e9;
    String md = report.toMarkdown();
    Files.writeString(resultsDir.resolve("latest.md"), md);
    System.out.println();
    System.out.println(md);
  }

  // ---- scenarios ----

  /**
   * JIT warm-up: the gateway runs far more code per request than the upstream, and C2 keeps compiling
   * it for tens of seconds; without this the first rounds measured the interpreter, not the gateway.
   */
  private void warmUp(Wrk wrk) throws Exception {
    log("warming up (JIT) every path");
    wrk.run(gatewayUrl(), 2, 16, s.warmupSeconds());
    wrk.run(gatewayUrl(), 1, 1, Math.max(1, s.warmupSeconds() / 3));
    wrk.run(url(Target.DIRECT, "json"), 2, 16, Math.max(1, s.warmupSeconds() / 3));
    if (hasPeer) {
      wrk.run(url(Target.PEER, "json"), 2, 16, Math.max(1, s.warmupSeconds() / 3));
    }
    for (int i = 0; i < 5; i++) {
      firstEventRound(Target.DIRECT, 300);
      firstEventRound(Target.GATEWAY, 300);
      if (hasPeer) {
        firstEventRound(Target.PEER, 300);
      }
    }
  }

  private void measureLatency(Wrk wrk) throws Exception {
    for (int r = 1; r <= s.rounds(); r++) {
      quiet();
      Report.Round<Wrk.Result> round = round(t -> wrk.run(url(t, "json"), 1, 1, s.latencySeconds()));
      report.latency.add(round);
      log(String.format("latency c=1 round %d: direct p50 %.3f p99 %.3f ms | gateway p50 %.3f p99 %.3f ms%s", r,
          round.direct().p50(), round.direct().p99(), round.gateway().p50(), round.gateway().p99(),
          round.peer() == null ? "" : String.format(" | nginx p50 %.3f p99 %.3f ms", round.peer().p50(),
              round.peer().p99())));
    }
  }

  private void measureSaturation(Wrk wrk) throws Exception {
    for (int r = 1; r <= s.rounds(); r++) {
      quiet();
      Report.Round<Wrk.Result> round = round(t -> wrk.run(url(t, "json"), s.saturationThreads(),
          s.saturationConnections(), s.saturationSeconds()));
      report.saturation.add(round);
      log(String.format("saturation c=%d round %d: direct %.0f req/s | gateway %.0f req/s%s (errors %d/%d%s)",
          s.saturationConnections(), r, round.direct().requestsPerSecond(), round.gateway().requestsPerSecond(),
          round.peer() == null ? "" : String.format(" | nginx %.0f req/s", round.peer().requestsPerSecond()),
          round.direct().errors(), round.gateway().errors(),
          round.peer() == null ? "" : "/" + round.peer().errors()));
    }
  }

  private void measureFirstEvent() throws Exception {
    for (int r = 1; r <= s.rounds(); r++) {
      quiet();
      Report.Round<double[]> round = round(t -> firstEventRound(t, s.firstEventRequests()));
      report.firstEvent.add(round);
      log(String.format("first event round %d: direct p50 %.3f ms | gateway p50 %.3f ms%s", r,
          Report.percentile(round.direct(), 50), Report.percentile(round.gateway(), 50),
          round.peer() == null ? "" : String.format(" | nginx p50 %.3f ms", Report.percentile(round.peer(), 50))));
    }
  }

  /** Sequential streaming requests (c=1); returns each request's time to its first event, ms. */
  private double[] firstEventRound(Target target, int n) throws Exception {
    URI uri = URI.create(url(target, "sse/5/0"));
    byte[] body = jsonBody("bench-ttfe", true);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      SseClient.Stream st = sse.open(uri, body, true, SseClient.Stream.NONE).done.get(30, TimeUnit.SECONDS);
      if (!st.ok() || st.dataEvents() != 5 || st.reordered != 0) {
        throw new IllegalStateException("first-event stream failed: status " + st.status + " " + st.failure);
      }
      out[i] = st.firstEventMillis();
    }
    return out;
  }

  private void measureBigStream() throws Exception {
    // Warm the large-event relay path (parser, scanner, frame handling) before the measured rounds.
    bigRound(Target.DIRECT, false);
    bigRound(Target.GATEWAY, false);
    bigRound(Target.GATEWAY, false);
    if (hasPeer) {
      bigRound(Target.PEER, false);
    }
    for (int r = 1; r <= s.bigRounds(); r++) {
      boolean last = r == s.bigRounds();
      quiet();
      Report.Round<Report.Big> round = round(t -> bigRound(t, last && t == Target.GATEWAY));
      report.big.add(round);
      Report.Round<Double> raw = round(this::curlMiBPerSecond);
      report.bigRaw.add(raw);
      log(String.format("%d MiB stream round %d: direct %.0f MiB/s | gateway %.0f MiB/s%s (raw sink: %.0f | %.0f%s)",
          s.bigMiB(), r, round.direct().mibPerSecond(), round.gateway().mibPerSecond(),
          round.peer() == null ? "" : String.format(" | nginx %.0f MiB/s", round.peer().mibPerSecond()),
          raw.direct(), raw.gateway(), raw.peer() == null ? "" : String.format(" | %.0f", raw.peer())));
    }
  }

  private Report.Big bigRound(Target target, boolean measureLiveHeap) throws Exception {
    URI uri = URI.create(url(target, "big/" + s.bigMiB()));
    boolean viaGateway = target == Target.GATEWAY;
    long liveBefore = viaGateway ? probe.liveHeap() : 0;
    long usedPeak = 0;
    long liveMid = -1;
    SseClient.Stream st = sse.open(uri, jsonBody("bench-big", true), false, SseClient.Stream.NONE);
    long expected = (long) s.bigMiB() * 1024 * 1024;
    while (!st.done.isDone()) {
      if (viaGateway) {
        usedPeak = Math.max(usedPeak, probe.heapUsed());
        if (measureLiveHeap && liveMid < 0 && st.bytes > expected / 2) {
          liveMid = probe.liveHeap();
        }
      }
      Thread.sleep(50);
    }
    st.done.get();
    if (!st.ok() || st.bytes != expected + FakeUpstream.DONE.length) {
      throw new IllegalStateException("big stream failed: status " + st.status + ", " + st.bytes + " bytes, "
          + st.failure);
    }
    double seconds = (st.endNanos - st.startNanos) / 1e9;
    return new Report.Big(st.bytes / seconds / (1024 * 1024), liveBefore, liveMid, usedPeak);
  }

  /** The same big response read by curl into /dev/null: the fastest possible client, no event parsing. */
  private double curlMiBPerSecond(Target target) throws Exception {
    String url = url(target, "big/" + s.bigMiB());
    Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{speed_download}",
        "-X", "POST", "-H", "Authorization: Bearer " + CLIENT_KEY, "-H", "Content-Type: application/json",
        "--data-binary", new String(jsonBody("bench-big", true), StandardCharsets.UTF_8), url)
        .redirectErrorStream(true).start();
    String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split(" ");
    if (p.waitFor() != 0 || !out[0].equals("200")
        || Long.parseLong(out[1]) != (long) s.bigMiB() * 1024 * 1024 + FakeUpstream.DONE.length) {
      throw new IllegalStateException("curl big stream failed: " + String.join(" ", out));
    }
    return Double.parseDouble(out[2]) / (1024 * 1024);
  }

  private void measureOpenStreams() throws Exception {
    int target = s.streams();
    quiet();
    Report.Streams result = new Report.Streams();
    result.threadsBefore = probe.threadCount();
    log("opening " + target + " paced streams through the gateway (" + s.streamEvents() + " events, one every "
        + s.streamPaceMillis() + " ms)");
    AtomicInteger open = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    SseClient.Stream.Observer observer = new SseClient.Stream.Observer() {
      @Override
      public void onFirstEvent(SseClient.Stream st) {
        peak.accumulateAndGet(open.incrementAndGet(), Math::max);
      }

      @Override
      public void onEnd(SseClient.Stream st) {
        if (st.events > 0) {
          open.decrementAndGet();
        }
      }
    };
    URI uri = URI.create(gatewayUrl());
    byte[] body = jsonBody("bench-hold", true);
    List<SseClient.Stream> streams = new ArrayList<>(target);
    int batch = Math.max(1, s.rampPerSecond() / 20);
    long start = System.nanoTime();
    result.target = target;
    while (streams.size() < target) {
      for (int i = 0; i < batch && streams.size() < target; i++) {
        streams.add(sse.open(uri, body, true, observer));
      }
      if (result.threadsAt1k == 0 && open.get() >= 1000) {
        result.threadsAt1k = probe.threadCount();
      }
      long due = start + (long) streams.size() * 1_000_000_000L / s.rampPerSecond();
      long sleep = due - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
    }
    // Sample at the peak: wait (bounded) until every stream has its first event.
    long settle = System.nanoTime() + 15_000_000_000L;
    while (open.get() < target && System.nanoTime() < settle) {
      Thread.sleep(20);
    }
    result.openAtSample = open.get();
    result.threadsAtPeak = probe.threadCount();
    result.heapUsedAtPeak = probe.heapUsed();
    result.heapCommittedAtPeak = probe.heapCommitted();
    result.liveHeapAtPeak = probe.liveHeap();
    result.threadNames = probe.threadsByName();
    log("open streams " + open.get() + ": gateway threads " + result.threadsAtPeak + ", live heap "
        + result.liveHeapAtPeak / (1024 * 1024) + " MiB");
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos((long) s.streamEvents() * s.streamPaceMillis() + 60_000);
    Map<String, Integer> failures = new TreeMap<>();
    for (SseClient.Stream st : streams) {
      try {
        st.done.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        failures.merge("did not finish in time", 1, Integer::sum);
        result.lostEvents += s.streamEvents() - st.dataEvents();
        continue;
      }
      result.lostEvents += Math.max(0, s.streamEvents() - st.dataEvents());
      result.reordered += st.reordered;
      if (st.ok() && st.dataEvents() == s.streamEvents()) {
        result.completed++;
      } else {
        failures.merge(st.failure != null ? st.failure.toString() : "status " + st.status + ", done=" + st.sawDone, 1,
            Integer::sum);
      }
    }
    result.peakOpen = peak.get();
    result.failures = failures;
    result.seconds = (System.nanoTime() - start) / 1e9;
    report.streams = result;
    log("streams: peak open " + result.peakOpen + ", completed " + result.completed + ", lost events "
        + result.lostEvents + ", reordered " + result.reordered + (failures.isEmpty() ? "" : ", failures " + failures));
  }

  // ---- plumbing ----

  /**
   * Runs one interleaved round: direct, then gateway, then nginx when the peer runs, reading the
   * foreign CPU around each leg.
   */
  private <T> Report.Round<T> round(Leg<T> leg) throws Exception {
    CpuMeter.Reading r0 = cpu.read();
    T direct = leg.run(Target.DIRECT);
    CpuMeter.Reading r1 = cpu.read();
    T gateway = leg.run(Target.GATEWAY);
    CpuMeter.Reading r2 = cpu.read();
    T peer = hasPeer ? leg.run(Target.PEER) : null;
    CpuMeter.Reading r3 = cpu.read();
    return new Report.Round<>(direct, gateway, peer, CpuMeter.foreignCores(r0, r1), CpuMeter.foreignCores(r1, r2),
        hasPeer ? CpuMeter.foreignCores(r2, r3) : 0);
  }

  /** Starts nginx as the peer; when it cannot run, the report says so and the rest of the benchmark goes on. */
  private Optional<ProcessHandle> startPeer(Processes processes, Path work) throws InterruptedException {
    try {
      log("starting nginx (peer) on :" + s.peerPort());
      NginxPeer peer = NginxPeer.start(processes, work.resolve("nginx"), s.peerPort(), s.upstreamPort());
      log("nginx (peer): " + peer.version + ", " + peer.workers + " workers");
      report.peer = peer;
      hasPeer = true;
      return Optional.of(peer.process.toHandle());
    } catch (IOException e) {
      log("nginx (peer) not available: " + e.getMessage());
      report.peerUnavailable = e.getMessage();
      return Optional.empty();
    }
  }

  /** Other tenants of a shared machine disturb the numbers: wait (bounded) for a quiet moment. */
  private void quiet() throws InterruptedException {
    double foreign = cpu.awaitQuiet(s.quietCores(), s.quietMaxMillis());
    if (foreign > s.quietCores()) {
      log(String.format("machine still busy (other processes use %.2f cores); measuring anyway", foreign));
    }
  }

  private List<String> gatewayJvmOptions(Path work) {
    List<String> options = new ArrayList<>(List.of(
        "-Xms" + s.gatewayHeapMiB() + "m", "-Xmx" + s.gatewayHeapMiB() + "m",
        "-XX:+UseG1GC",
        "-Dllmproxy.config.dir=" + work,
        "-Dbench.gateway.maxThreads=" + s.gatewayMaxThreads(),
        "-Dcom.sun.management.jmxremote.port=" + s.jmxPort(),
        "-Dcom.sun.management.jmxremote.rmi.port=" + s.jmxPort(),
        "-Dcom.sun.management.jmxremote.host=127.0.0.1",
        "-Djava.rmi.server.hostname=127.0.0.1",
        "-Dcom.sun.management.jmxremote.authenticate=false",
        "-Dcom.sun.management.jmxremote.ssl=false"));
    if (!s.gatewayJvmExtra().isBlank()) {
      options.addAll(List.of(s.gatewayJvmExtra().trim().split("\\s+")));
    }
    return options;
  }

  private String gatewayConfig() {
    String base = "http://127.0.0.1:" + s.upstreamPort();
    StringBuilder y = new StringBuilder();
    y.append("# Generated by the benchmark: production settings, one provider per fake-upstream behaviour.\n");
    y.append("api-keys:\n  - \"").append(CLIENT_KEY).append("\"\n");
    y.append("debug: false\n");
    y.append("upstream:\n  http2: ").append(s.upstreamHttp2()).append("\n");
    provider(y, "bench-json", base + "/json/v1");
    provider(y, "bench-ttfe", base + "/sse/5/0/v1");
    provider(y, "bench-hold", base + "/sse/" + s.streamEvents() + "/" + s.streamPaceMillis() + "/v1");
    provider(y, "bench-big", base + "/big/" + s.bigMiB() + "/v1");
    return y.toString();
  }

  private static void provider(StringBuilder y, String alias, String baseUrl) {
    if (y.indexOf("openai-compatibility:") < 0) {
      y.append("openai-compatibility:\n");
    }
    y.append("  - name: \"").append(alias).append("\"\n")
        .append("    base-url: \"").append(baseUrl).append("\"\n")
        .append("    api-key-entries:\n      - api-key: \"upstream-key\"\n")
        // The alias differs from the upstream id so every request exercises the model splice.
        .append("    models:\n      - name: \"").append(alias).append("-upstream\"\n")
        .append("        alias: \"").append(alias).append("\"\n");
  }

  static byte[] jsonBody(String model, boolean stream) {
    return ("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful "
        + "assistant.\"},{\"role\":\"user\",\"content\":\"Say hello in one short sentence.\"}],"
        + "\"temperature\":0.7,\"max_tokens\":64,\"stream\":" + stream + "}").getBytes(StandardCharsets.UTF_8);
  }

  private String gatewayUrl() {
    return "http://127.0.0.1:" + s.gatewayPort() + "/v1/chat/completions";
  }

  /**
   * The chat endpoint for a behaviour of the fake upstream: the gateway picks it by model alias (the
   * bodies name it), nginx forwards the path as it is.
   */
  private String url(Target target, String behaviour) {
    String path = "/" + behaviour + "/v1/chat/completions";
    return switch (target) {
      case DIRECT -> upstreamUrl(path);
      case GATEWAY -> gatewayUrl();
      case PEER -> "http://127.0.0.1:" + s.peerPort() + path;
    };
  }

  private String upstreamUrl(String path) {
    return "http://127.0.0.1:" + s.upstreamPort() + path;
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static void log(String message) {
    System.out.println("[bench] " + message);
  }
}
