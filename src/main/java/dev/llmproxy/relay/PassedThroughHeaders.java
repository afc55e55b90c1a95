package dev.llmproxy.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/**
 * The upstream response headers a client may see with {@code passthrough-headers: true} (CLIProxyAPI's
 * setting): the provider's rate-limit state, request id, processing time and the like. Left out:
 * headers about the connection or the encoding of the body (the gateway's own), cookies, CORS (the
 * gateway's own policy), headers that bind the upstream's domain (HSTS, Alt-Svc, reporting), headers
 * naming the upstream account ({@code openai-organization}, {@code openai-project}) and those other
 * gateways add about themselves. Stateless.
 */
final class PassedThroughHeaders {
  private static final Set<String> LEFT_OUT = Set.of(
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
      "proxy-authenticate", "proxy-authorization", "content-length", "content-encoding", "content-type",
      "date", "server", "set-cookie", "set-cookie2", "strict-transport-security", "alt-svc", "report-to",
      "nel", "openai-organization", "openai-project", "authorization", "www-authenticate", "vary");
  private static final List<String> LEFT_OUT_PREFIXES = List.of(
      "access-control-", "x-litellm-", "helicone-", "x-portkey-", "cf-aig-", "x-kong-", "x-bt-");

  private PassedThroughHeaders() {}

  /** The headers of {@code response} a client may see, in their order. */
  static List<Header> of(HttpResponse response) {
    List<Header> out = new ArrayList<>();
    for (Header h : response.getHeaders()) {
      String name = h.getName().toLowerCase(Locale.ROOT);
      if (!LEFT_OUT.contains(name) && LEFT_OUT_PREFIXES.stream().noneMatch(name::startsWith)) {
        out.add(h);
      }
    }
    return out;
  }
}
