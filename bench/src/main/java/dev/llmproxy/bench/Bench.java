package dev.llmproxy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark driver (issue 6): starts the fake upstream and the gateway (the built WAR in embedded
 * Jetty 12) as separate JVMs on 127.0.0.1, and nginx in front of the same upstream as a peer when it
 * is installed; measures each chosen scenario directly against the upstream, through the gateway and
 * through nginx, interleaved round by round, and writes a Markdown report.
 * Usage: {@code Bench <war> <results-dir>}; knobs are {@code -Dbench.*} system properties (see {@link Settings}).
 */
public final class Bench {
  private final Settings s;
  private final Path war;
  private final Path resultsDir;
  private final Endpoints endpoints;
  private final Results results = new Results();

  private Bench(Settings s, Path war, Path resultsDir) {
    this.s = s;
    this.war = war;
    this.resultsDir = resultsDir;
    this.endpoints = new Endpoints(s);
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
    GatewayLaunch gatewayLaunch = new GatewayLaunch(s);
    Files.writeString(work.resolve("config.yaml"), gatewayLaunch.configYaml());
    Processes processes = new Processes(logs);
    SseClient sse = null;
    GatewayProbe probe = null;
    try {
      log("starting fake upstream on :" + s.upstreamPort() + " and gateway on :" + s.gatewayPort());
      Process upstream = processes.startJava("upstream", List.of("-Xms1g", "-Xmx1g"), FakeUpstream.class.getName(),
          List.of(Integer.toString(s.upstreamPort())), s.upstreamPort());
      Process gateway = startGateway(processes, gatewayLaunch, work);
      Map<CpuMeter.Role, ProcessHandle> servers = new EnumMap<>(CpuMeter.Role.class);
      servers.put(CpuMeter.Role.UPSTREAM, upstream.toHandle());
      servers.put(CpuMeter.Role.GATEWAY, gateway.toHandle());
      Optional<ProcessHandle> peer = startPeer(processes, work);
      peer.ifPresent(p -> servers.put(CpuMeter.Role.PEER, p));
      if (s.measuresContainerFloor()) {
        Process floor = processes.startJava("floor", List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC"),
            ContainerFloor.class.getName(), List.of(Integer.toString(s.floorPort())), s.floorPort());
        servers.put(CpuMeter.Role.FLOOR, floor.toHandle());
      }
      InterleavedRounds rounds = new InterleavedRounds(s, new CpuMeter(servers), peer.isPresent());
      probe = new GatewayProbe(s.jmxPort());
      sse = new SseClient(s.streams() + 100);
      results.idleThreads = probe.threadCount();
      results.idleLiveHeap = probe.liveHeap();
      runScenarios(rounds, new Wrk(work, ChatRequests.body("bench-json", false)), sse, probe);
      results.upstreamProtocols = get(endpoints.upstream("/stats"));
    } finally {
      if (sse != null) {
        sse.close();
      }
      if (probe != null) {
        probe.close();
      }
      processes.stopAll();
    }
    results.totalSeconds = (System.nanoTime() - t0) / 1e9;
    String md = new Report(s, results).toMarkdown();
    // A run in another container than the default keeps its own file, so both can be compared.
    Files.writeString(resultsDir.resolve(s.container().equals("jetty") ? "latest.md" : "latest-" + s.container() + ".md"),
        md);
    System.out.println();
    System.out.println(md);
  }

  /** Runs the scenarios that {@code bench.only} chooses (all by default), in a fixed order. */
  private void runScenarios(InterleavedRounds rounds, Wrk wrk, SseClient sse, GatewayProbe probe) throws Exception {
    PlainRequestScenarios plain = new PlainRequestScenarios(s, endpoints, rounds, wrk);
    FirstEventScenario firstEvent = new FirstEventScenario(s, endpoints, rounds, sse);
    if (s.runs("latency") || s.runs("saturation") || s.runs("first-event")) {
      // JIT warm-up: the gateway runs far more code per request than the upstream, and C2 keeps compiling
      // it for tens of seconds; without this the first rounds measured the interpreter, not the gateway.
      log("warming up (JIT) every path");
      plain.warmUp();
      firstEvent.warmUp();
    }
    if (s.runs("latency")) {
      results.latency.addAll(plain.measureLatency());
    }
    if (s.runs("saturation")) {
      PlainRequestScenarios.Saturation saturation = plain.measureSaturation();
      results.saturation.addAll(saturation.rounds());
      results.floor.addAll(saturation.floor());
    }
    if (s.runs("first-event")) {
      results.firstEvent.addAll(firstEvent.measure());
    }
    if (s.runs("big")) {
      BigStreamScenario.Result big = new BigStreamScenario(s, endpoints, rounds, sse, probe).measure();
      results.big.addAll(big.sse());
      results.bigRaw.addAll(big.curl());
    }
    if (s.runs("streams")) {
      results.streams = new OpenStreamsScenario(s, endpoints, rounds, sse, probe).measure();
    }
  }

  /** The built WAR in embedded Jetty ({@link GatewayServer}) or in the Tomcat distribution ({@link TomcatGateway}). */
  private Process startGateway(Processes processes, GatewayLaunch launch, Path work) throws Exception {
    if (s.container().equals("tomcat")) {
      Path containers = war.toAbsolutePath().getParent().resolve("containers");
      TomcatGateway tomcat = TomcatGateway.layOut(containers, work.resolve("tomcat"), war, s.gatewayPort(),
          s.gatewayMaxThreads());
      results.gatewayContainer = tomcat.version();
      return processes.start("gateway", tomcat.command(launch.jvmOptions(work)), s.gatewayPort());
    }
    results.gatewayContainer = "Jetty 12 ee10 (embedded)";
    return processes.startJava("gateway", launch.jvmOptions(work), GatewayServer.class.getName(),
        List.of(Integer.toString(s.gatewayPort()), war.toString()), s.gatewayPort());
  }

  /** Starts nginx as the peer; when it cannot run, the report says so and the rest of the benchmark goes on. */
  private Optional<ProcessHandle> startPeer(Processes processes, Path work) throws InterruptedException {
    try {
      log("starting nginx (peer) on :" + s.peerPort());
      NginxPeer peer = NginxPeer.start(processes, work.resolve("nginx"), s.peerPort(), s.upstreamPort());
      log("nginx (peer): " + peer.version + ", " + peer.workers + " workers");
      results.peer = peer;
      return Optional.of(peer.process.toHandle());
    } catch (IOException e) {
      log("nginx (peer) not available: " + e.getMessage());
      results.peerUnavailable = e.getMessage();
      return Optional.empty();
    }
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static void log(String message) {
    System.out.println("[bench] " + message);
  }
}
