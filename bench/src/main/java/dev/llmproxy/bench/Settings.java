package dev.llmproxy.bench;

/**
 * The benchmark's knobs, each a {@code -Dbench.NAME=value} system property (bench/run.sh passes its
 * environment through). Defaults keep the full run to about 6 minutes on 2 cores. {@code -Dbench.limitedKeys=N}
 * configures N client keys with limits (models, rpm, tpm, monthly tokens and cost, none ever reached) and sends the
 * benchmark's requests with the last of them, to compare the cost of limits with plain keys. Immutable.
 */
record Settings(
    int upstreamPort, int gatewayPort, int jmxPort, int peerPort, int floorPort,
    int rounds, int warmupSeconds, int latencySeconds,
    int saturationSeconds, int saturationThreads, int saturationConnections,
    int firstEventRequests,
    int streams, int streamEvents, int streamPaceMillis, int rampPerSecond,
    int bigMiB, int bigRounds,
    int gatewayHeapMiB, int gatewayMaxThreads, String upstreamHttp2,
    double quietCores, long quietMaxMillis, String only, String gatewayJvmExtra, String container,
    int limitedKeys) {

  /** The names {@code -Dbench.only} accepts. */
  static final java.util.List<String> SCENARIOS = java.util.List.of("latency", "saturation", "first-event", "big", "streams");

  /** The containers the gateway can run in ({@code -Dbench.container}). */
  static final java.util.List<String> CONTAINERS = java.util.List.of("jetty", "tomcat");

  /** A misspelt name would silently run nothing and report an empty table. */
  Settings {
    if (!CONTAINERS.contains(container)) {
      throw new IllegalArgumentException("-Dbench.container: unknown container '" + container + "'; expected "
          + CONTAINERS);
    }
    for (String name : only.isBlank() ? new String[0] : only.split(",")) {
      if (!SCENARIOS.contains(name.trim())) {
        throw new IllegalArgumentException("-Dbench.only: unknown scenario '" + name.trim() + "'; expected " + SCENARIOS);
      }
    }
  }

  /** Whether a scenario runs: all by default, or those listed in {@code -Dbench.only=latency,streams,...}. */
  boolean runs(String scenario) {
    return only.isBlank() || java.util.Arrays.stream(only.split(",")).map(String::trim).anyMatch(scenario::equals);
  }

  /**
   * Whether the container floor ({@link ContainerFloor}, embedded Jetty) runs beside the saturation
   * rounds: only when it is the gateway's own container.
   */
  boolean measuresContainerFloor() {
    return runs("saturation") && container.equals("jetty");
  }

  static Settings fromSystemProperties() {
    return new Settings(
        Integer.getInteger("bench.upstreamPort", 18401),
        Integer.getInteger("bench.gatewayPort", 18402),
        Integer.getInteger("bench.jmxPort", 18403),
        Integer.getInteger("bench.peerPort", 18404),
        Integer.getInteger("bench.floorPort", 18405),
        Integer.getInteger("bench.rounds", 5),
        Integer.getInteger("bench.warmupSeconds", 20),
        Integer.getInteger("bench.latencySeconds", 4),
        Integer.getInteger("bench.saturationSeconds", 4),
        Integer.getInteger("bench.saturationThreads", 2),
        Integer.getInteger("bench.saturationConnections", 64),
        Integer.getInteger("bench.firstEventRequests", 300),
        Integer.getInteger("bench.streams", 10_000),
        Integer.getInteger("bench.streamEvents", 60),
        Integer.getInteger("bench.streamPaceMillis", 500),
        Integer.getInteger("bench.rampPerSecond", 1000),
        Integer.getInteger("bench.bigMiB", 1024),
        Integer.getInteger("bench.bigRounds", 3),
        Integer.getInteger("bench.gatewayHeapMiB", 1024),
        Integer.getInteger("bench.gatewayMaxThreads", 32),
        System.getProperty("bench.upstreamHttp2", "force"),
        Double.parseDouble(System.getProperty("bench.quietCores", "0.25")),
        Long.getLong("bench.quietMaxMillis", 10_000),
        System.getProperty("bench.only", ""),
        System.getProperty("bench.gatewayJvmOptions", ""),
        System.getProperty("bench.container", "jetty"),
        Integer.getInteger("bench.limitedKeys", 0));
  }
}
