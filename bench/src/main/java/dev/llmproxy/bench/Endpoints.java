package dev.llmproxy.bench;

/** The URLs the driver sends to, all on 127.0.0.1. Immutable. */
final class Endpoints {
  private final Settings s;

  Endpoints(Settings s) {
    this.s = s;
  }

  String gateway() {
    return gateway(s.gatewayPort(), "/v1/chat/completions");
  }

  /** A path of the gateway (every client dialect has its own). */
  String gateway(String path) {
    return gateway(s.gatewayPort(), path);
  }

  private static String gateway(int port, String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /**
   * The chat endpoint for a behaviour of the fake upstream: a gateway picks it by model alias (the
   * bodies name it), nginx forwards the path as it is.
   */
  String url(Target target, String behaviour) {
    String path = "/" + behaviour + "/v1/chat/completions";
    return switch (target) {
      case DIRECT -> upstream(path);
      case GATEWAY -> gateway();
      case PEER -> s.hasVariant() ? gateway(s.peerPort(), "/v1/chat/completions")
          : "http://127.0.0.1:" + s.peerPort() + path;
      case FLOOR -> "http://127.0.0.1:" + s.floorPort() + path;
    };
  }

  String upstream(String path) {
    return "http://127.0.0.1:" + s.upstreamPort() + path;
  }
}
