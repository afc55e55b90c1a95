package dev.llmproxy.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one run measured, for {@link Report}. A scenario that did not run leaves its list empty
 * (or {@link #streams} null). Filled by the driver's thread only, read once the run is over.
 */
final class Results {
  final List<Round<Wrk.Result>> latency = new ArrayList<>();
  final List<Round<Wrk.Result>> saturation = new ArrayList<>();
  /** {@link ContainerFloor} at saturation, one run after each saturation round. */
  final List<InterleavedRounds.Measured<Wrk.Result>> floor = new ArrayList<>();
  final List<Round<double[]>> firstEvent = new ArrayList<>();
  final List<Round<BigStreamScenario.Transfer>> big = new ArrayList<>();
  final List<Round<Double>> bigRaw = new ArrayList<>();
  OpenStreamsScenario.Result streams;
  int idleThreads;
  long idleLiveHeap;
  String upstreamProtocols = "";
  /** What the gateway ran in, for the report's setup. */
  String gatewayContainer = "";
  double totalSeconds;
  /** The running peer, or null; then {@link #peerUnavailable} says why. */
  NginxPeer peer;
  String peerUnavailable = "";

  boolean hasPlainRequests() {
    return !latency.isEmpty() || !saturation.isEmpty();
  }
}
