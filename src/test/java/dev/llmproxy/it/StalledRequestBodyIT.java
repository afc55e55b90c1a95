package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.RawResponse;
import dev.llmproxy.testing.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that announces a body and stops sending it (slowloris) holds an open-request place from before its body
 * is read; the container's idle timeout did not end it (Jetty 12, asynchronous read). {@code request-body-timeout}
 * does: 408 in the client's dialect, the connection closed, the place given back. With {@code max-open-requests: 1}
 * a place not given back shows as 503 for the next request.
 */
class StalledRequestBodyIT {
  private static final Duration BODY_TIMEOUT = Duration.ofSeconds(1);

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      max-open-requests: 1
      request-body-timeout: %2$ds
      openai-compatibility:
        - name: acme
          base-url: %1$s
          api-key-entries: [{api-key: k1}]
          models: [{name: up-model, alias: m}]
      """.formatted(upstream.baseUrl(), BODY_TIMEOUT.toSeconds()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @BeforeEach
  void reset() {
    upstream.reset();
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "fine")));
  }

  @Test
  void aBodyThatStallsGets408TheConnectionClosedAndItsPlaceBack() throws Exception {
    long start = System.nanoTime();
    RawResponse response = stall("/v1/chat/completions");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(408, response.status(), response.toString());
    assertTrue(response.body().contains("\"code\":\"request_timeout\""), response.body());
    assertTrue(took.compareTo(BODY_TIMEOUT) >= 0, "took " + took);
    // The place comes back when the container ends the request's asynchronous cycle, a moment after the 408 left.
    int status = client.chat("m").statusCode();
    for (int i = 0; i < 50 && status == 503; i++) {
      Thread.sleep(100);
      status = client.chat("m").statusCode();
    }
    assertEquals(200, status, "the open-request place was given back");
    assertEquals(1, upstream.requests().size(), "the stalled request never went upstream");
  }

  @Test
  void anAnthropicClientGetsItsOwnErrorShape() throws Exception {
    RawResponse response = stall("/v1/messages");
    assertEquals(408, response.status(), response.toString());
    assertTrue(response.body().contains("\"type\":\"error\""), response.body());
  }

  /** Declares 1000 bytes, sends 9 and waits: the response must come and the connection must close. */
  private static RawResponse stall(String path) throws Exception {
    try (RawClient c = RawClient.connect(gateway.port())) {
      c.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + GatewayClient.CLIENT_KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
          "{\"model\":".getBytes(StandardCharsets.UTF_8));
      return c.readToEnd(Duration.ofSeconds(8), 8192, Duration.ZERO);
    }
  }
}
