package dev.llmproxy.bench;

/** The URLs the driver sends to, all on 127.0.0.1. Immutable. */
final class Endpoints {
  private final Settings s;

  Endpoints(Settings s) {
    this.s = s;
  }

  String gateway() {
    return "http://127.0.0.1:" + s.gatewayPort() + "/v1/chat/completions";
  }

  /**
   * The chat endpoint for a behaviour of the fake upstream: the gateway picks it by model alias (the
   * bodies name it), nginx forwards the path as it is.
   */
  String url(Target target, String behaviour) {
    String path = "/" + behaviour + "/v1/chat/completions";
    return switch (target) {
      case DIRECT -> upstream(path);
      case GATEWAY -> gateway();
      case PEER -> "http://127.0.0.1:" + s.peerPort() + path;
      case FLOOR -> "http://127.0.0.1:" + s.floorPort() + path;
    };
  }

  String upstream(String path) {
    return "http://127.0.0.1:" + s.upstreamPort() + path;
  }
}
