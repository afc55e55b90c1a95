package dev.llmproxy.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured, for {@link Report}. A scenario that did not run leaves its list empty
 * (or its map empty, its result null). Filled by the driver's thread only, read once the run is over.
 */
final class Results {
  final List<Round<Wrk.Result>> latency = new ArrayList<>();
  /** The container floor ({@link FloorServlet}) at c=1, one run after each latency round. */
  final List<InterleavedRounds.Measured<Wrk.Result>> latencyFloor = new ArrayList<>();
  final List<Round<Wrk.Result>> saturation = new ArrayList<>();
  /** The container floor ({@link FloorServlet}) at saturation, one run after each saturation round. */
  final List<InterleavedRounds.Measured<Wrk.Result>> saturationFloor = new ArrayList<>();
  final List<Round<double[]>> firstEvent = new ArrayList<>();
  final List<Round<BigStreamScenario.Transfer>> big = new ArrayList<>();
  final List<Round<Double>> bigRaw = new ArrayList<>();
  /** Open streams by target: direct, the gateway, and the second gateway (as {@link Target#PEER}). */
  final Map<Target, OpenStreamsScenario.Result> streams = new EnumMap<>(Target.class);
  DialectScenario.Result dialects;
  int idleThreads;
  long idleLiveHeap;
  String upstreamProtocols = "";
  /** What the gateway ran in, for the report's setup. */
  String gatewayContainer = "";
  double totalSeconds;
  String loadAtStart = "";
  /** How long a thread takes to wake another here, measured at the start ({@link HandOffLatency}). */
  HandOffLatency.Result handOff;
  String loadAtEnd = "";
  /** The running peer, or null; then {@link #peerUnavailable} says why (unless a second gateway runs). */
  NginxPeer peer;
  String peerUnavailable = "";
  /** The second gateway in the peer's place, or null. */
  GatewayVariant variant;
  /** Whether the blocking proxy ({@link BlockingProxyServlet}) ran in the peer's place. */
  boolean blockingProxy;

  boolean hasPlainRequests() {
    return !latency.isEmpty() || !saturation.isEmpty();
  }

  /** Whether a third leg ran: nginx, the blocking proxy or a second gateway. */
  boolean hasThirdLeg() {
    return peer != null || variant != null || blockingProxy;
  }

  /** The third leg's name in tables: "nginx", "blocking proxy" or the second gateway's. */
  String thirdLegName() {
    return variant != null ? variant.name() : blockingProxy ? "blocking proxy" : "nginx";
  }

  /** A leg's name in tables. */
  String legName(Target target) {
    return switch (target) {
      case DIRECT -> "direct";
      case GATEWAY -> "gateway";
      case PEER -> thirdLegName();
      case FLOOR -> "container floor";
    };
  }
}
