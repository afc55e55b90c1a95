package dev.llmproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpProxyProcessTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @RegisterExtension @Order(1) static final FakeUpstream upstream = new FakeUpstream();

  @Test
  void requestsThroughTheProxyArriveFromItsOutgoingAddress() throws Exception {
    try (HttpProxyProcess proxy = HttpProxyProcess.start();
        CloseableHttpAsyncClient viaProxy = started(HttpAsyncClients.custom().setProxy(host(proxy)).build());
        CloseableHttpAsyncClient direct = started(HttpAsyncClients.createDefault())) {
      assertEquals(200, get(viaProxy, upstream.baseUrl() + "/models").getCode());
      assertEquals(200, get(direct, upstream.baseUrl() + "/models").getCode());

      var requests = upstream.awaitRequests(2, WAIT);
      assertEquals("127.0.0.3", requests.get(0).remoteAddress());
      assertEquals("127.0.0.1", requests.get(1).remoteAddress());
      assertEquals(proxy.outgoingAddress(), requests.get(0).remoteAddress());
    }
  }

  @Test
  void proxyWithCredentialsRejectsAnonymousClientsAndAcceptsBasicAuth() throws Exception {
    try (HttpProxyProcess proxy = HttpProxyProcess.start("127.0.0.3", new ProxyCredentials("alice", "s3cret"));
        CloseableHttpAsyncClient anonymous = started(HttpAsyncClients.custom().setProxy(host(proxy)).build());
        CloseableHttpAsyncClient authenticated = started(authenticatingClient(proxy, "alice", "s3cret"))) {
      assertEquals(407, get(anonymous, upstream.baseUrl() + "/models").getCode());
      assertEquals(200, get(authenticated, upstream.baseUrl() + "/models").getCode());

      assertEquals("127.0.0.3", upstream.awaitRequests(1, WAIT).get(0).remoteAddress());
      assertEquals("http://alice:s3cret@127.0.0.1:" + proxy.port(), proxy.url());
    }
  }

  @Test
  void streamsEachEventThroughWithoutBuffering() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    upstream.respondWith(
        request -> UpstreamResponse.sse(SseStep.data("one"), SseStep.await(release), SseStep.data("two")));
    try (HttpProxyProcess proxy = HttpProxyProcess.start()) {
      HttpClient http =
          HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port()))).build();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/chat/completions"))
              .POST(BodyPublishers.ofString("{\"stream\":true}"))
              .build();

      try (SseEvents events = SseEvents.of(http.send(request, BodyHandlers.ofInputStream()))) {
        assertEquals("one", events.next().data());
        assertEquals(1, release.getCount());
        release.countDown();
        assertEquals("two", events.next().data());
      }
      assertEquals("127.0.0.3", upstream.lastRequest().remoteAddress());
    }
  }

  @Test
  void tunnelsHttpsWithConnectToAnyPortAndLogsIt() throws Exception {
    try (SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback();
        FakeUpstream tls = FakeUpstream.https(certificate).start();
        HttpProxyProcess proxy = HttpProxyProcess.start()) {
      HttpClient http = HttpClient.newBuilder()
          .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
          .sslContext(certificate.clientSslContext())
          .build();

      HttpRequest request = HttpRequest.newBuilder(URI.create(tls.baseUrl() + "/models")).build();
      assertEquals(200, http.send(request, BodyHandlers.ofString()).statusCode());

      assertEquals("127.0.0.3", tls.lastRequest().remoteAddress());
      assertNull(tls.lastRequest().header("Via"), "inside a tunnel tinyproxy cannot add headers");
      assertTrue(proxy.log().contains("CONNECT 127.0.0.1:" + tls.port()), proxy.log());
    }
  }

  @Test
  void closeKillsTheProcessAndFreesThePort() {
    HttpProxyProcess stopped;
    try (HttpProxyProcess proxy = HttpProxyProcess.start()) {
      stopped = proxy;
      assertTrue(proxy.isAlive());
      assertTrue(proxy.log().contains("Initializing tinyproxy"), proxy.log());
    }

    assertFalse(stopped.isAlive());
    assertThrows(IOException.class, () -> new Socket("127.0.0.1", stopped.port()).close());
  }

  static HttpHost host(HttpProxyProcess proxy) {
    return new HttpHost("http", "127.0.0.1", proxy.port());
  }

  private static CloseableHttpAsyncClient authenticatingClient(HttpProxyProcess proxy, String user, String password) {
    BasicCredentialsProvider credentials = new BasicCredentialsProvider();
    credentials.setCredentials(
        new AuthScope(host(proxy)), new UsernamePasswordCredentials(user, password.toCharArray()));
    return HttpAsyncClients.custom().setProxy(host(proxy)).setDefaultCredentialsProvider(credentials).build();
  }

  static CloseableHttpAsyncClient started(CloseableHttpAsyncClient client) {
    client.start();
    return client;
  }

  static SimpleHttpResponse get(CloseableHttpAsyncClient client, String url) throws Exception {
    return client.execute(SimpleRequestBuilder.get(url).build(), null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
