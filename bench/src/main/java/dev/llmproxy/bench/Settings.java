package dev.llmproxy.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The benchmark's knobs, each a {@code -Dbench.NAME=value} system property (bench/run.sh passes its
 * environment through). Defaults keep the full run to about 7 minutes on 2 cores. Immutable.
 */
record Settings(
    int upstreamPort, int gatewayPort, int jmxPort, int peerPort, int floorPort, int variantJmxPort, int redisPort,
    int rounds, int warmupSeconds, int settleSeconds, int latencySeconds,
    int saturationSeconds, int saturationThreads, int saturationConnections,
    int firstEventRequests,
    int streams, int streamEvents, int streamPaceMillis, int rampPerSecond,
    int bigMiB, int bigRounds,
    int dialectRequests, int dialectEvents, int dialectConcurrency,
    int gatewayHeapMiB, int gatewayMaxThreads, String upstreamHttp2,
    double quietCores, long quietMaxMillis, String only, String gatewayJvmExtra, String container,
    String connector, String peer, String variant, String variantWar, String variantJvmExtra, int limitedKeys,
    int holdSeconds) {

  /** The names {@code -Dbench.only} accepts. */
  static final List<String> SCENARIOS = List.of("latency", "saturation", "first-event", "big", "streams", "dialects");

  /** Scenarios a run includes unless {@code -Dbench.only} names them: the translation cost has its own run. */
  static final List<String> DEFAULT_SCENARIOS = List.of("latency", "saturation", "first-event", "big", "streams");

  /** What {@code -Dbench.peer} can put in the third leg when no second gateway runs; the first is the default. */
  static final List<String> PEERS = List.of("nginx", "blocking-proxy");

  /** The containers the gateway can run in ({@code -Dbench.container}); the first is the default. */
  static final List<String> CONTAINERS = List.of("tomcat10", "tomcat11", TomcatDistribution.DEBIAN, "jetty");

  /** A misspelt name would silently run nothing and report an empty table. */
  Settings {
    if (!CONTAINERS.contains(container)) {
      throw new IllegalArgumentException("-Dbench.container: unknown container '" + container + "'; expected "
          + CONTAINERS);
    }
    if (!PEERS.contains(peer)) {
      throw new IllegalArgumentException("-Dbench.peer: unknown peer '" + peer + "'; expected " + PEERS);
    }
    for (String name : only.isBlank() ? new String[0] : only.split(",")) {
      if (!SCENARIOS.contains(name.trim())) {
        throw new IllegalArgumentException("-Dbench.only: unknown scenario '" + name.trim() + "'; expected " + SCENARIOS);
      }
    }
    if (variant.isBlank() && !variantJvmExtra.isBlank()) {
      throw new IllegalArgumentException("-Dbench.variantJvmOptions: options for the second gateway need one: "
          + "-Dbench.variant=same gives the first gateway's WAR and config with these options");
    }
    if (!variant.isBlank() && !variantWar.isBlank() == GatewayVariant.PRESETS.containsKey(variant)) {
      throw new IllegalArgumentException("-Dbench.variant: '" + variant + "' must be one of "
          + GatewayVariant.PRESETS.keySet() + ", or any name with -Dbench.variantWar=<another WAR>");
    }
  }

  /** Whether a scenario runs: the default ones, or those listed in {@code -Dbench.only=latency,streams,...}. */
  boolean runs(String scenario) {
    return only.isBlank() ? DEFAULT_SCENARIOS.contains(scenario)
        : Arrays.stream(only.split(",")).map(String::trim).anyMatch(scenario::equals);
  }

  /**
   * Whether the container floor ({@link FloorServlet} in the gateway's container) runs beside the c=1 and
   * saturation rounds; not when two gateways are compared.
   */
  boolean measuresContainerFloor() {
    return (runs("saturation") || runs("latency")) && !hasVariant();
  }

  boolean isTomcat() {
    return container.startsWith("tomcat");
  }

  /** The gateway's upstream leg multiplexes every stream over a few HTTP/2 connections. */
  boolean upstreamIsHttp2() {
    return upstreamHttp2.equals("force");
  }

  /** The blocking proxy ({@link BlockingProxyServlet}) takes nginx's place in every round. */
  boolean peerIsBlockingProxy() {
    return peer.equals("blocking-proxy") && !hasVariant();
  }

  /** A second gateway (another WAR or config) takes nginx's place in every round. */
  boolean hasVariant() {
    return !variant.isBlank();
  }

  static Settings fromSystemProperties() {
    String upstreamHttp2 = System.getProperty("bench.upstreamHttp2", "negotiate");
    return new Settings(
        Integer.getInteger("bench.upstreamPort", 18401),
        Integer.getInteger("bench.gatewayPort", 18402),
        Integer.getInteger("bench.jmxPort", 18403),
        Integer.getInteger("bench.peerPort", 18404),
        Integer.getInteger("bench.floorPort", 18405),
        Integer.getInteger("bench.variantJmxPort", 18406),
        Integer.getInteger("bench.redisPort", 18407),
        Integer.getInteger("bench.rounds", 5),
        Integer.getInteger("bench.warmupSeconds", 20),
        Integer.getInteger("bench.settleSeconds", 3),
        Integer.getInteger("bench.latencySeconds", 4),
        Integer.getInteger("bench.saturationSeconds", 4),
        Integer.getInteger("bench.saturationThreads", 2),
        Integer.getInteger("bench.saturationConnections", 64),
        Integer.getInteger("bench.firstEventRequests", 300),
        // HTTP/1.1 on both sides costs the gateway two files per stream under a 20,000-file limit.
        Integer.getInteger("bench.streams", upstreamHttp2.equals("force") ? 10_000 : 9_000),
        Integer.getInteger("bench.streamEvents", 60),
        Integer.getInteger("bench.streamPaceMillis", 500),
        Integer.getInteger("bench.rampPerSecond", 1000),
        Integer.getInteger("bench.bigMiB", 1024),
        Integer.getInteger("bench.bigRounds", 3),
        Integer.getInteger("bench.dialectRequests", 300),
        Integer.getInteger("bench.dialectEvents", 200),
        Integer.getInteger("bench.dialectConcurrency", 8),
        // 9,000 HTTP/1.1 streams hold ~1.9 GiB live in Tomcat 10.1 (see bench/README.md).
        Integer.getInteger("bench.gatewayHeapMiB", 3072),
        Integer.getInteger("bench.gatewayMaxThreads", 32),
        upstreamHttp2,
        Double.parseDouble(System.getProperty("bench.quietCores", "0.25")),
        Long.getLong("bench.quietMaxMillis", 10_000),
        System.getProperty("bench.only", ""),
        System.getProperty("bench.gatewayJvmOptions", ""),
        System.getProperty("bench.container", "tomcat10"),
        System.getProperty("bench.connector", ""),
        System.getProperty("bench.peer", PEERS.get(0)),
        System.getProperty("bench.variant", ""),
        System.getProperty("bench.variantWar", ""),
        System.getProperty("bench.variantJvmOptions", ""),
        Integer.getInteger("bench.limitedKeys", 0),
        Integer.getInteger("bench.holdSeconds", 0));
  }
}
