package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.UpstreamResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients (or a load balancer in front) that speak HTTP/2 to the gateway: many streams share one
 * connection and its flow-control window, and each must still get every event, in order, while the
 * others are open. The client is HttpClient 5 with h2c prior knowledge.
 */
class Http2ClientIT {
  private static final int STREAMS = 100;
  private static final int CHUNKS = 20;

  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = new FakeUpstream();

  @RegisterExtension
  @Order(2)
  static final GatewayServer gateway = GatewayServer.builder().http2c()
      .config(() -> TestConfigs.oneProvider(upstream, "")).build();

  private CloseableHttpAsyncClient h2;

  @BeforeEach
  void startClient() {
    upstream.reset();
    h2 = HttpAsyncClients.createHttp2Default();
    h2.start();
  }

  @AfterEach
  void stopClient() throws Exception {
    h2.close();
  }

  private SimpleHttpRequest chat(boolean stream) {
    return SimpleRequestBuilder.post(gateway.uri("/v1/chat/completions"))
        .setHeader("Authorization", "Bearer team-key-1")
        .setBody("{\"model\":\"m\",\"stream\":" + stream + ",\"messages\":[]}", ContentType.APPLICATION_JSON)
        .build();
  }

  @Test
  void aPlainAnswerArrivesOverHttp2() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "over h2")));
    SimpleHttpResponse response = h2.execute(chat(false), null).get(20, TimeUnit.SECONDS);
    assertEquals(200, response.getCode(), response.getBodyText());
    assertEquals(HttpVersion.HTTP_2, response.getVersion());
    assertTrue(response.getBodyText().contains("over h2"), response.getBodyText());
  }

  @Test
  void aHundredStreamsOnOneConnectionEachArriveWholeAndInOrder() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.pacedStream(r.model(), CHUNKS, Duration.ofMillis(50), 64));
    List<Future<SimpleHttpResponse>> responses = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      responses.add(h2.execute(chat(true), null));
    }
    responses.get(0).get(60, TimeUnit.SECONDS);
    assertEquals(STREAMS, upstream.streamStats().started(),
        "all streams were open together before the first (1 s long) one ended, not one after another");
    int whole = 0;
    for (Future<SimpleHttpResponse> f : responses) {
      SimpleHttpResponse response = f.get(60, TimeUnit.SECONDS);
      assertEquals(HttpVersion.HTTP_2, response.getVersion());
      List<String> data = Arrays.stream(response.getBodyText().split("\n"))
          .filter(l -> l.startsWith("data: ")).toList();
      boolean complete = response.getCode() == 200 && UpstreamResponse.Paced.arrivedWhole(data, CHUNKS, 64);
      whole += complete ? 1 : 0;
    }
    assertEquals(STREAMS, whole, "every stream arrived complete");
    assertEquals(STREAMS, upstream.streamStats().completed(), "and every upstream stream ran to its end");
  }
}
