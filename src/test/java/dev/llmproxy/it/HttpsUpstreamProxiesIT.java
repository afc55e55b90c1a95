package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.await;
import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.HttpProxyProcess;
import dev.llmproxy.testing.ProxyCredentials;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SelfSignedCertificate;
import dev.llmproxy.testing.SocksProxyProcess;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTPS upstreams through real proxies: a CONNECT tunnel through tinyproxy (127.0.0.3), SOCKS5 with user and
 * password through microsocks (127.0.0.2), and direct (127.0.0.1); the fake upstream's view of the remote address
 * says which path a request took. The fake presents a self-signed certificate that the gateway trusts only through
 * {@code upstream.trust-store}; a second gateway without that key shows the JVM's default trust is untouched, and a
 * trusted certificate for another host name shows host names are still verified.
 */
class HttpsUpstreamProxiesIT {
  static final SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback();
  static final SelfSignedCertificate otherHostCertificate = SelfSignedCertificate.create("dns:other-host.test");
  static final SocksProxyProcess socks = SocksProxyProcess.start("127.0.0.2", new ProxyCredentials("gw", "s0cks-pass"));
  static final HttpProxyProcess httpProxy = HttpProxyProcess.start();

  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = FakeUpstream.https(certificate);

  @RegisterExtension
  @Order(2)
  static final FakeUpstream otherHost = FakeUpstream.https(otherHostCertificate);

  @RegisterExtension
  @Order(3)
  static final GatewayServer gateway = GatewayServer.builder().config(() -> """
      api-keys: ["team-key-1"]
      upstream:
        trust-store: "%s"
        trust-store-password: "%s"
      openai-compatibility:
        - name: p
          base-url: %s
          api-key-entries:
            - api-key: key-via-connect
              proxy-url: "%s"
            - api-key: key-via-socks
              proxy-url: "%s"
            - api-key: key-direct
          models: [{name: m}]
        - name: other-host
          base-url: %s
          api-key-entries: [{api-key: key-other-host}]
          models: [{name: other-host-model}]
      """.formatted(certificate.trustStoreWith(otherHostCertificate), SelfSignedCertificate.PASSWORD,
      upstream.baseUrl(), httpProxy.url(), socks.url(), otherHost.baseUrl())).build();

  @RegisterExtension
  @Order(4)
  static final GatewayServer defaultTrustGateway = GatewayServer.builder().config(() -> """
      api-keys: ["team-key-1"]
      openai-compatibility:
        - name: p
          base-url: %s
          api-key-entries: [{api-key: key-direct}]
          models: [{name: m}]
      """.formatted(upstream.baseUrl())).build();

  private final GatewayClient client = new GatewayClient(gateway);

  @AfterAll
  static void stopProxiesAndDeleteCertificates() {
    socks.close();
    httpProxy.close();
    certificate.close();
    otherHostCertificate.close();
  }

  @Test
  void eachKeyReachesTheHttpsUpstreamOverItsOwnPath() {
    for (int i = 0; i < 6; i++) {
      assertEquals(200, client.chat("m").statusCode());
    }
    Map<String, Set<String>> pathsOfKey = new TreeMap<>();
    for (RecordedRequest r : upstream.requests()) {
      String key = r.bearerToken();
      pathsOfKey.computeIfAbsent(key, k -> new TreeSet<>()).add(r.remoteAddress());
      assertNull(r.header("Via"), key + ": nothing between the gateway and the upstream could read the request");
    }
    assertEquals(Map.of(
        "key-direct", Set.of("127.0.0.1"),
        "key-via-connect", Set.of("127.0.0.3"),
        "key-via-socks", Set.of("127.0.0.2")), pathsOfKey);
    assertEquals(6, upstream.requests().size());
    assertTrue(httpProxy.log().contains("CONNECT 127.0.0.1:" + upstream.port()),
        "tinyproxy tunnelled with CONNECT:\n" + httpProxy.log());
  }

  @Test
  void streamsFlowEventByEventThroughTheTunnelAndTheOtherPaths() {
    for (int i = 0; i < 3; i++) {
      CountDownLatch release = new CountDownLatch(1);
      upstream.respondWith(req -> UpstreamResponse.sse(chunk(req.model(), "one"), await(release),
          chunk(req.model(), "two"), done()));
      try (SseEvents events = SseEvents.of(client.stream("m"))) {
        assertEquals("one", events.next().deltaContent());
        assertEquals(1, release.getCount(), "event 1 came through while the upstream holds event 2");
        release.countDown();
        assertEquals("two", events.next().deltaContent());
        assertTrue(events.next().isDone());
      }
    }
    assertEquals(List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"),
        upstream.requests().stream().map(RecordedRequest::remoteAddress).sorted().collect(Collectors.toList()),
        "the three streams took the three paths, the CONNECT tunnel among them");
  }

  @Test
  void aTrustedCertificateForAnotherHostNameIsRefused() {
    HttpResponse<String> response = client.chat("other-host-model");

    assertEquals(502, response.statusCode());
    assertTrue(response.body().contains("\"message\":\"Upstream provider 'other-host' is unreachable: the TLS "
        + "handshake failed.\""), response.body());
    assertEquals(List.of(), otherHost.requests(), "no request was sent over the unverified connection");
  }

  @Test
  void withoutATrustStoreTheSelfSignedUpstreamIsRefused() {
    HttpResponse<String> response = new GatewayClient(defaultTrustGateway).chat("m");

    assertEquals(502, response.statusCode());
    assertTrue(response.body().contains("the TLS handshake failed"), response.body());
    assertEquals(List.of(), upstream.requests());
  }
}
