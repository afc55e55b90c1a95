package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.done;
import static dev.llmproxy.testing.SseStep.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Models think for a long time before they answer, longer than a container keeps a silent client
 * connection (Jetty: 30 s idle timeout; Tomcat: 20 s connection timeout). A request waiting for its
 * upstream must not be cut by that: here the connector's idle timeout is 1 s and the upstream takes 3 s.
 */
class SlowUpstreamIT {
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration THINKING = Duration.ofSeconds(3);

  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = new FakeUpstream();

  @RegisterExtension
  @Order(2)
  static final GatewayServer gateway = GatewayServer.builder().idleTimeout(IDLE_TIMEOUT)
      .config(() -> TestConfigs.oneProvider(upstream, "")).build();

  private final GatewayClient client = new GatewayClient(gateway);

  @BeforeEach
  void clear() {
    upstream.reset();
  }

  /** Without this the other tests would prove nothing: a connection that says nothing is closed. */
  @Test
  void theIdleTimeoutIsInForce() throws Exception {
    try (Socket silent = new Socket("127.0.0.1", gateway.port())) {
      silent.setSoTimeout((int) THINKING.toMillis() * 2);
      long start = System.nanoTime();
      assertEquals(-1, silent.getInputStream().read(), "the container closed the silent connection");
      assertTrue(System.nanoTime() - start < THINKING.toNanos(), "within the idle timeout, not after the wait");
    }
  }

  @Test
  void anAnswerThatTakesLongerThanTheIdleTimeoutArrives() {
    upstream.respondWith(r -> UpstreamResponse.delayed(THINKING,
        UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "thought it over"))));
    HttpResponse<String> response = client.chat("m");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(1, upstream.requests().size());
  }

  @Test
  void aStreamWhoseFirstEventTakesLongerThanTheIdleTimeoutArrives() {
    upstream.respondWith(r -> UpstreamResponse.sse(sleep(THINKING), chunk(r.model(), "first"), done()));
    try (SseEvents events = SseEvents.of(client.stream("m"))) {
      assertEquals("first", events.next(Duration.ofSeconds(10)).deltaContent());
      events.next();
    }
  }

  @Test
  void aStreamThatFallsSilentLongerThanTheIdleTimeoutGoesOn() {
    upstream.respondWith(r -> UpstreamResponse.sse(chunk(r.model(), "before"), sleep(THINKING),
        chunk(r.model(), "after"), done()));
    try (SseEvents events = SseEvents.of(client.stream("m"))) {
      assertEquals("before", events.next().deltaContent());
      assertEquals("after", events.next(Duration.ofSeconds(10)).deltaContent());
    }
  }
}
