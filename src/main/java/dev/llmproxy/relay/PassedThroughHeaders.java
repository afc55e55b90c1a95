package dev.llmproxy.relay;

import dev.llmproxy.config.ApiKeyEntry;
import dev.llmproxy.routing.Attempt;
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
 * naming the upstream account ({@code openai-organization}, {@code openai-project}), those other
 * gateways add about themselves, and credentials: any header named like one, and any header whose value
 * holds one of the provider's keys (an upstream or a proxy in front of it may echo what it was sent, under
 * any name). Stateless.
 */
final class PassedThroughHeaders {
  private static final Set<String> LEFT_OUT = Set.of(
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
      "proxy-authenticate", "content-length", "content-encoding", "content-type",
      "date", "server", "strict-transport-security", "alt-svc", "report-to",
      "nel", "openai-organization", "openai-project", "www-authenticate", "vary");
  /** The names credentials travel under, either way: the gateway's own request headers among them. */
  private static final Set<String> CREDENTIALS = Set.of(
      "authorization", "proxy-authorization", "x-api-key", "x-goog-api-key", "api-key", "cookie", "set-cookie",
      "set-cookie2");
  private static final List<String> LEFT_OUT_PREFIXES = List.of(
      "access-control-", "x-litellm-", "helicone-", "x-portkey-", "cf-aig-", "x-kong-", "x-bt-");
  /** Shorter keys than this are not searched for in values: they would match harmless text. */
  private static final int MIN_SEARCHED_KEY_CHARS = 4;

  private PassedThroughHeaders() {}

  /** The headers of {@code response} to {@code attempt} a client may see, in their order. */
  static List<Header> of(HttpResponse response, Attempt attempt) {
    List<Header> out = new ArrayList<>();
    for (Header h : response.getHeaders()) {
      String name = h.getName().toLowerCase(Locale.ROOT);
      if (!LEFT_OUT.contains(name) && !CREDENTIALS.contains(name)
          && LEFT_OUT_PREFIXES.stream().noneMatch(name::startsWith) && !holdsKey(h.getValue(), attempt)) {
        out.add(h);
      }
    }
    return out;
  }

  /** True when {@code value} contains one of the provider's keys (the one the attempt used among them). */
  private static boolean holdsKey(String value, Attempt attempt) {
    if (value == null) {
      return false;
    }
    for (ApiKeyEntry entry : attempt.member().provider().apiKeyEntries()) {
      if (contains(value, entry.apiKey())) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(String value, String key) {
    return key != null && key.length() >= MIN_SEARCHED_KEY_CHARS && value.contains(key);
  }
}
