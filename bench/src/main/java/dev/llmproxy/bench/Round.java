package dev.llmproxy.bench;

/**
 * One interleaved round: direct, gateway and (when it runs) the nginx peer, else {@code peer} is null;
 * foreign* = cores used by other processes on the machine during each run; cpu* = what the
 * benchmark's own processes spent on each run.
 */
record Round<T>(T direct, T gateway, T peer, double foreignDirect, double foreignGateway, double foreignPeer,
    CpuMeter.Spent cpuDirect, CpuMeter.Spent cpuGateway, CpuMeter.Spent cpuPeer) {
  String foreign() {
    return String.format("%.2f / %.2f", foreignDirect, foreignGateway)
        + (peer == null ? "" : String.format(" / %.2f", foreignPeer));
  }

  T result(Target target) {
    return switch (target) {
      case DIRECT -> direct;
      case GATEWAY -> gateway;
      case PEER -> peer;
      case FLOOR -> null;
    };
  }

  CpuMeter.Spent cpu(Target target) {
    return switch (target) {
      case DIRECT -> cpuDirect;
      case GATEWAY -> cpuGateway;
      case PEER -> cpuPeer;
      case FLOOR -> null;
    };
  }
}
