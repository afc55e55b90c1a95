package dev.llmproxy.bench;

/**
 * One interleaved round: direct, gateway and (when it runs) the nginx peer, else {@code peer} is null;
 * foreign* = cores used by other processes on the machine during each run.
 */
record Round<T>(T direct, T gateway, T peer, double foreignDirect, double foreignGateway, double foreignPeer) {
  String foreign() {
    return String.format("%.2f / %.2f", foreignDirect, foreignGateway)
        + (peer == null ? "" : String.format(" / %.2f", foreignPeer));
  }
}
