package dev.llmproxy.testing;

import static dev.llmproxy.testing.HttpProxyProcessTest.get;
import static dev.llmproxy.testing.HttpProxyProcessTest.started;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SocksProxyProcessTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @RegisterExtension @Order(1) static final FakeUpstream upstream = new FakeUpstream();

  @Test
  void requestsThroughSocksArriveFromItsOutgoingAddress() throws Exception {
    try (SocksProxyProcess socks = SocksProxyProcess.start();
        CloseableHttpAsyncClient client = started(socksClient(socks, null, null))) {
      assertEquals(200, get(client, upstream.baseUrl() + "/models").getCode());

      assertEquals("127.0.0.2", upstream.awaitRequests(1, WAIT).get(0).remoteAddress());
      assertEquals("socks5://127.0.0.1:" + socks.port(), socks.url());
    }
  }

  @Test
  void socksWithCredentialsAcceptsTheRightPasswordOnly() throws Exception {
    try (SocksProxyProcess socks = SocksProxyProcess.start("127.0.0.2", new ProxyCredentials("bob", "pw"));
        CloseableHttpAsyncClient right = started(socksClient(socks, "bob", "pw"));
        CloseableHttpAsyncClient wrong = started(socksClient(socks, "bob", "nope"))) {
      assertEquals(200, get(right, upstream.baseUrl() + "/models").getCode());
      assertThrows(ExecutionException.class, () -> get(wrong, upstream.baseUrl() + "/models"));

      assertEquals(1, upstream.requests().size());
      assertEquals("127.0.0.2", upstream.lastRequest().remoteAddress());
      assertEquals("socks5://bob:pw@127.0.0.1:" + socks.port(), socks.url());
    }
  }

  @Test
  void streamsEachEventThroughWithoutBuffering() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    upstream.respondWith(
        request -> UpstreamResponse.sse(SseStep.data("one"), SseStep.await(release), SseStep.data("two")));
    try (SocksProxyProcess socks = SocksProxyProcess.start()) {
      Proxy proxy = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", socks.port()));
      HttpURLConnection connection =
          (HttpURLConnection) URI.create(upstream.baseUrl() + "/chat/completions").toURL().openConnection(proxy);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.getOutputStream().write("{\"stream\":true}".getBytes());

      try (SseEvents events = new SseEvents(connection.getInputStream())) {
        assertEquals("one", events.next().data());
        assertEquals(1, release.getCount());
        release.countDown();
        assertEquals("two", events.next().data());
      }
      assertEquals("127.0.0.2", upstream.lastRequest().remoteAddress());
    }
  }

  @Test
  void closeKillsTheProcess() {
    SocksProxyProcess stopped;
    try (SocksProxyProcess socks = SocksProxyProcess.start()) {
      stopped = socks;
      assertTrue(socks.isAlive());
    }

    assertFalse(stopped.isAlive());
  }

  private static CloseableHttpAsyncClient socksClient(SocksProxyProcess socks, String user, String password) {
    IOReactorConfig.Builder reactor =
        IOReactorConfig.custom().setSocksProxyAddress(new InetSocketAddress("127.0.0.1", socks.port()));
    if (user != null) {
      reactor.setSocksProxyUsername(user).setSocksProxyPassword(password);
    }
    return HttpAsyncClients.custom().setIOReactorConfig(reactor.build()).build();
  }
}
