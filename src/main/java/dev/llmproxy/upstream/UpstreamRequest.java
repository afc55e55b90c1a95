package dev.llmproxy.upstream;

import dev.llmproxy.config.ProviderConfig;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;

/**
 * Builds the request sent to a provider: {@code POST base-url + path} with the upstream key, the
 * provider's {@code headers} ({@code $Name} copies the client's header {@code Name}) and the
 * rewritten body. Nothing else from the client is forwarded, least of all its gateway key.
 */
public final class UpstreamRequest {
  static final String USER_AGENT = "llm-proxy/0.1";

  private UpstreamRequest() {}

  /**
   * @param clientHeader looks up a client request header by name (case-insensitive), for {@code $Name} values
   */
  public static AsyncRequestProducer newPost(ProviderConfig provider, String path, String apiKey, byte[] body,
      boolean stream, Function<String, String> clientHeader) {
    Target target = Target.of(provider.baseUrl());
    BasicHttpRequest request = new BasicHttpRequest("POST", target.host(), target.basePath() + path);
    request.setHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    if (apiKey != null && !apiKey.isEmpty()) {
      request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
    }
    applyProviderHeaders(request, provider.headers(), clientHeader);
    request.setHeader(HttpHeaders.ACCEPT, stream ? "text/event-stream" : "application/json");
    // Answers are relayed and parsed as they come: a compressed body would reach clients as binary
    // labelled JSON. Providers that compress anyway are refused by the relay (see UpstreamAttempt).
    request.setHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
    return new BasicRequestProducer(request, new JsonBodyProducer(body));
  }

  /**
   * A base URL split into host and path once, not parsed again for every request (URI parsing was
   * among the gateway's own top costs per request). Keyed by the config's base-url string.
   */
  private record Target(HttpHost host, String basePath) {
    private static final int MAX_CACHED = 1024;
    private static final ConcurrentMap<String, Target> CACHE = new ConcurrentHashMap<>();

    static Target of(String baseUrl) {
      Target known = CACHE.get(baseUrl);
      if (known != null) {
        return known;
      }
      if (CACHE.size() >= MAX_CACHED) {
        CACHE.clear(); // base URLs come only from config; this only guards against many reloads
      }
      URI uri = URI.create(baseUrl);
      Target parsed = new Target(HttpHost.create(uri), uri.getRawPath() == null ? "" : uri.getRawPath());
      CACHE.put(baseUrl, parsed);
      return parsed;
    }
  }

  /** A GET (for model discovery) with the key and the provider's static headers. */
  public static AsyncRequestProducer newGet(ProviderConfig provider, String path, String apiKey) {
    BasicHttpRequest request = new BasicHttpRequest("GET", URI.create(provider.baseUrl() + path));
    request.setHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    if (apiKey != null && !apiKey.isEmpty()) {
      request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
    }
    applyProviderHeaders(request, provider.headers(), name -> null);
    request.setHeader(HttpHeaders.ACCEPT, "application/json");
    return new BasicRequestProducer(request, null);
  }

  private static void applyProviderHeaders(BasicHttpRequest request, Map<String, String> headers,
      Function<String, String> clientHeader) {
    headers.forEach((name, value) -> {
      if (HopByHopHeaders.isHopByHop(name)) {
        return;
      }
      if (value.startsWith("$")) {
        String copied = clientHeader.apply(value.substring(1));
        if (copied != null) {
          request.setHeader(name, copied);
        }
      } else {
        request.setHeader(name, value);
      }
    });
  }
}
