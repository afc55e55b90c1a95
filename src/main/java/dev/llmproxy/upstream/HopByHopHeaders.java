package dev.llmproxy.upstream;

import java.util.Locale;
import java.util.Set;

/** Headers that belong to one connection and are never copied across the gateway (RFC 9110 §7.6.1). */
final class HopByHopHeaders {
  private static final Set<String> NAMES = Set.of(
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
      "transfer-encoding", "upgrade", "host", "content-length", "proxy-connection");

  private HopByHopHeaders() {}

  static boolean isHopByHop(String name) {
    return NAMES.contains(name.toLowerCase(Locale.ROOT));
  }
}
