package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SseEvent;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code upstream.http2: force}: h2c with prior knowledge to a plain-http upstream, requests spread over
 * {@code http2-connections} multiplexed connections, and a stream far larger than a flow-control window.
 */
class Http2UpstreamIT {
  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      upstream:
        http2: force
        http2-connections: 3
      openai-compatibility:
        - name: h2-provider
          base-url: %s
          api-key-entries:
            - api-key: sk-up-h2
          models:
            - name: upstream-model
              alias: m
      """.formatted(upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @Test
  void requestsTravelOverHttp2SpreadEvenlyOverTheConfiguredConnections() throws Exception {
    for (int i = 0; i < 30; i++) {
      assertEquals(200, client.chat("m").statusCode());
    }
    List<RecordedRequest> seen = upstream.requests();
    assertEquals(30, seen.size());
    assertEquals(Set.of("HTTP/2.0"), seen.stream().map(RecordedRequest::protocol).collect(Collectors.toSet()));
    var perConnection = seen.stream().collect(Collectors.groupingBy(RecordedRequest::connection, Collectors.counting()));
    assertEquals(3, perConnection.size(), "one pool, three connections: " + perConnection);
    assertTrue(perConnection.values().stream().allMatch(n -> n == 10), "taken in turn: " + perConnection);
  }

  @Test
  void aStreamOfManyWindowsArrivesWholeAndInOrder() throws Exception {
    // 400 events of 8 KiB: ~3.3 MiB, fifty times HTTP/2's default window, and past the 1 MiB after which
    // the relay lets a bulk response queue more.
    upstream.respondWith(req -> UpstreamResponse.pacedStream(req.model(), 400, Duration.ZERO, 8192));
    HttpResponse<InputStream> response = client.stream("m");
    assertEquals(200, response.statusCode());
    try (SseEvents events = SseEvents.of(response)) {
      List<SseEvent> all = events.remaining(Duration.ofSeconds(20));
      assertEquals(402, all.size(), "400 chunks, the finishing chunk, [DONE]");
      for (SseEvent event : all.subList(0, 400)) {
        assertEquals(8192, event.deltaContent().length());
      }
      assertEquals("stop", all.get(400).json().path("choices").path(0).path("finish_reason").asText());
      assertTrue(all.get(401).isDone());
    }
    assertEquals("HTTP/2.0", upstream.lastRequest().protocol());
  }
}
