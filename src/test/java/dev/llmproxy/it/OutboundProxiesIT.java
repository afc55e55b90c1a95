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
import dev.llmproxy.testing.SocksProxyProcess;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-key outbound proxies through real proxy servers: microsocks (SOCKS5 with user/password) and
 * tinyproxy (HTTP). Each proxy binds its outgoing connections to its own loopback address, so the fake
 * upstream's view of the remote address says which path a request took: 127.0.0.2 SOCKS, 127.0.0.3
 * HTTP proxy, 127.0.0.1 direct.
 */
class OutboundProxiesIT {
  static final SocksProxyProcess socks = SocksProxyProcess.start("127.0.0.2", new ProxyCredentials("gw", "s0cks-pass"));
  static final HttpProxyProcess httpProxy = HttpProxyProcess.start();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      proxy-url: "%s"
      openai-compatibility:
        - name: p
          base-url: %s
          api-key-entries:
            - api-key: key-via-socks
              proxy-url: "%s"
            - api-key: key-via-global-http-proxy
            - api-key: key-direct
              proxy-url: direct
          models: [{name: m}]
      """.formatted(httpProxy.url(), upstream.baseUrl(), socks.url()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @AfterAll
  static void stopProxies() {
    socks.close();
    httpProxy.close();
  }

  @Test
  void eachKeyLeavesThroughItsOwnProxyAndTheDirectKeyThroughNone() {
    for (int i = 0; i < 6; i++) {
      assertEquals(200, client.chat("m").statusCode());
    }
    Map<String, String> pathOfKey = new TreeMap<>();
    for (RecordedRequest r : upstream.requests()) {
      String key = r.bearerToken();
      String previous = pathOfKey.put(key, r.remoteAddress());
      assertTrue(previous == null || previous.equals(r.remoteAddress()), "a key always takes the same path");
      if (key.equals("key-via-global-http-proxy")) {
        assertTrue(r.header("Via").contains("tinyproxy"), "tinyproxy marks what it forwards");
      } else {
        assertNull(r.header("Via"), key + " did not go through the HTTP proxy");
      }
    }
    assertEquals(Map.of(
        "key-direct", "127.0.0.1",
        "key-via-global-http-proxy", "127.0.0.3",
        "key-via-socks", "127.0.0.2"), pathOfKey);
    assertEquals(6, upstream.requests().size());
  }

  @Test
  void streamsFlowEventByEventThroughBothProxyKinds() {
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
    assertEquals(3, upstream.requests().stream().map(RecordedRequest::remoteAddress).distinct().count(),
        "the three streams took the three paths");
  }
}
