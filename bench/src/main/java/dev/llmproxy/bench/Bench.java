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

/**
 * The benchmark driver: starts the fake upstream and the gateway (the built WAR in
 * Tomcat 10.1 by default, Tomcat 11 or embedded Jetty 12) as separate JVMs on 127.0.0.1, and as the third
 * leg either nginx in front of the same upstream, the least a proxy in the gateway's container can cost
 * ({@link BlockingProxyServlet}, {@code -Dbench.peer=blocking-proxy}) or a second gateway
 * ({@link GatewayVariant}); measures each chosen scenario directly against the upstream, through the gateway
 * and through the third leg, interleaved round by round, and writes a Markdown report.
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
    results.loadAtStart = LoadAverage.read();
    results.handOff = new HandOffLatency().measure();
    log("thread hand-off on this machine: " + results.handOff.describe());
    Path work = Files.createTempDirectory("llm-proxy-bench");
    Path logs = resultsDir.resolve("logs");
    Files.createDirectories(logs);
    GatewayLaunch launch = new GatewayLaunch(s);
    Processes processes = new Processes(logs);
    GatewayContainer container = new GatewayContainer(s, processes, GatewayContainer.containersDir(war));
    SseClient sse = null;
    GatewayProbe probe = null;
    GatewayProbe variantProbe = null;
    try {
      log("starting fake upstream on :" + s.upstreamPort() + " and gateway (" + s.container() + ") on :"
          + s.gatewayPort());
      Process upstream = processes.startJava("upstream", GatewayLaunch.heap(1024), FakeUpstream.class.getName(),
          List.of(Integer.toString(s.upstreamPort())), s.upstreamPort());
      Path gatewayDir = Files.createDirectories(work.resolve("gateway"));
      Files.writeString(gatewayDir.resolve("config.yaml"), launch.configYaml("", s.limitedKeys()));
      Process gateway = container.startGateway("gateway", war,
          launch.jvmOptions(gatewayDir, s.jmxPort(), s.gatewayJvmExtra()),
          s.gatewayPort(), gatewayDir);
      results.gatewayContainer = container.description();
      Map<CpuMeter.Role, List<ProcessHandle>> servers = new EnumMap<>(CpuMeter.Role.class);
      servers.put(CpuMeter.Role.UPSTREAM, List.of(upstream.toHandle()));
      servers.put(CpuMeter.Role.GATEWAY, List.of(gateway.toHandle()));
      List<ProcessHandle> third = s.hasVariant() ? startVariant(processes, container, launch, work)
          : s.peerIsBlockingProxy() ? startBlockingProxy(container, work) : startPeer(processes, work);
      if (!third.isEmpty()) {
        servers.put(CpuMeter.Role.PEER, third);
      }
      if (s.measuresContainerFloor()) {
        servers.put(CpuMeter.Role.FLOOR, List.of(container.startFloor(work).toHandle()));
      }
      InterleavedRounds rounds = new InterleavedRounds(s, new CpuMeter(servers), !third.isEmpty());
      probe = new GatewayProbe(s.jmxPort());
      variantProbe = s.hasVariant() ? new GatewayProbe(s.variantJmxPort()) : null;
      sse = new SseClient(1000);
      results.idleThreads = probe.threadCount();
      results.idleLiveHeap = probe.liveHeap();
      runScenarios(rounds, new Wrk(work, ChatRequests.body("bench-json", false)), sse, probe, variantProbe);
      results.upstreamProtocols = get(endpoints.upstream("/stats"));
      holdForProbing();
    } finally {
      if (sse != null) {
        sse.close();
      }
      for (GatewayProbe p : new GatewayProbe[] {probe, variantProbe}) {
        if (p != null) {
          p.close();
        }
      }
      processes.stopAll();
    }
    results.totalSeconds = (System.nanoTime() - t0) / 1e9;
    results.loadAtEnd = LoadAverage.read();
    String md = new Report(s, results).toMarkdown();
    Path file = resultsDir.resolve(reportName());
    Files.writeString(file, md);
    System.out.println();
    System.out.println(md);
    log("report written to " + file);
  }

  /**
   * latest.md for the headline (Tomcat 10.1, HTTP/1.1 upstream, every default scenario, nginx as the peer);
   * any other run says what differs: latest-jetty.md, latest-tomcat11-h2.md, latest-tomcat10-redis.md, ...
   */
  private String reportName() {
    String name = System.getProperty("bench.report", "");
    if (!name.isBlank()) {
      return name;
    }
    StringBuilder n = new StringBuilder("latest");
    if (!s.container().equals(Settings.CONTAINERS.get(0)) || s.hasVariant() || s.peerIsBlockingProxy()
        || s.upstreamIsHttp2() || !s.only().isBlank()) {
      n.append('-').append(s.container());
    }
    if (s.upstreamIsHttp2()) {
      n.append("-h2");
    }
    if (s.hasVariant()) {
      n.append('-').append(s.variant());
    } else if (s.peerIsBlockingProxy()) {
      n.append("-blocking-proxy");
    }
    if (!s.only().isBlank()) {
      n.append('-').append(s.only().replace(',', '-'));
    }
    return n.append(".md").toString();
  }

  /**
   * With {@code bench.holdSeconds}, keeps every process running (warm) after the scenarios, so a profiler or a
   * load of one's own can be pointed at them by hand.
   */
  private void holdForProbing() throws InterruptedException {
    if (s.holdSeconds() > 0) {
      log(String.format("holding for %d s: upstream :%d, gateway :%d, container floor :%d, third leg :%d",
          s.holdSeconds(), s.upstreamPort(), s.gatewayPort(), s.floorPort(), s.peerPort()));
      Thread.sleep(s.holdSeconds() * 1000L);
    }
  }

  /** Runs the scenarios that {@code bench.only} chooses (the default ones otherwise), in a fixed order. */
  private void runScenarios(InterleavedRounds rounds, Wrk wrk, SseClient sse, GatewayProbe probe,
      GatewayProbe variantProbe) throws Exception {
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
      PlainRequestScenarios.RoundsAndFloor latency = plain.measureLatency();
      results.latency.addAll(latency.rounds());
      results.latencyFloor.addAll(latency.floor());
    }
    if (s.runs("saturation")) {
      PlainRequestScenarios.RoundsAndFloor saturation = plain.measureSaturation();
      results.saturation.addAll(saturation.rounds());
      results.saturationFloor.addAll(saturation.floor());
    }
    if (s.runs("first-event")) {
      results.firstEvent.addAll(firstEvent.measure());
    }
    if (s.runs("dialects")) {
      results.dialects = new DialectScenario(s, rounds, sse).measure();
    }
    if (s.runs("big")) {
      BigStreamScenario.Result big = new BigStreamScenario(s, endpoints, rounds, sse, probe).measure();
      results.big.addAll(big.sse());
      results.bigRaw.addAll(big.curl());
    }
    if (s.runs("streams")) {
      OpenStreamsScenario streams = new OpenStreamsScenario(s, endpoints, rounds);
      results.streams.put(Target.DIRECT, streams.measure(Target.DIRECT, null));
      results.streams.put(Target.GATEWAY, streams.measure(Target.GATEWAY, probe));
      if (variantProbe != null) {
        results.streams.put(Target.PEER, streams.measure(Target.PEER, variantProbe));
      }
    }
  }

  /** The second gateway in the third leg's place (and the redis-server its config needs). */
  private List<ProcessHandle> startVariant(Processes processes, GatewayContainer container, GatewayLaunch launch,
      Path work) throws Exception {
    GatewayVariant variant = GatewayVariant.of(s, war);
    results.variant = variant;
    Path dir = Files.createDirectories(work.resolve("variant"));
    Files.writeString(dir.resolve("config.yaml"), launch.configYaml(variant.extraConfig(), variant.limitedKeys()));
    Process redis = null;
    if (variant.needsRedis()) {
      log("starting redis-server on :" + s.redisPort());
      redis = processes.start("redis", List.of("redis-server", "--port", Integer.toString(s.redisPort()), "--bind",
          "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()), s.redisPort());
    }
    log("starting the second gateway (" + variant.name() + ") on :" + s.peerPort());
    Process p = container.startGateway("variant", variant.war(), launch.jvmOptions(dir, s.variantJmxPort(),
        s.gatewayJvmExtra() + " " + s.variantJvmExtra()),
        s.peerPort(), dir);
    return redis == null ? List.of(p.toHandle()) : List.of(p.toHandle(), redis.toHandle());
  }

  /** The blocking proxy in the peer's place, in the gateway's container. */
  private List<ProcessHandle> startBlockingProxy(GatewayContainer container, Path work) throws Exception {
    log("starting the blocking proxy (peer) on :" + s.peerPort());
    results.blockingProxy = true;
    return List.of(container.startBlockingProxy(work).toHandle());
  }

  /** Starts nginx as the peer; when it cannot run, the report says so and the rest of the benchmark goes on. */
  private List<ProcessHandle> startPeer(Processes processes, Path work) throws InterruptedException {
    try {
      log("starting nginx (peer) on :" + s.peerPort());
      NginxPeer peer = NginxPeer.start(processes, work.resolve("nginx"), s.peerPort(), s.upstreamPort());
      log("nginx (peer): " + peer.version + ", " + peer.workers + " workers");
      results.peer = peer;
      return List.of(peer.process.toHandle());
    } catch (IOException e) {
      log("nginx (peer) not available: " + e.getMessage());
      results.peerUnavailable = e.getMessage();
      return List.of();
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
