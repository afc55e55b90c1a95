package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiResponder;
import dev.llmproxy.testing.PrometheusScrape;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An HTTP/2 upstream that refuses streams (RST_STREAM with REFUSED_STREAM: it did not process the request): the
 * request goes again at once on the same key and the client never knows; nothing cools. An upstream that refuses
 * every time is given up on after the repeats, as a transient failure.
 */
class RefusedStreamIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANAGEMENT_KEY = "mgmt-secret-0000000005";

  /** Two providers on one upstream, so that each test reads its own counters: {@code m} and {@code busy}. */
  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      remote-management: {secret-key: "%s"}
      upstream:
        http2: force
      openai-compatibility:
        - name: h2
          base-url: %s
          api-key-entries: [{api-key: k1}]
          models: [{name: m}]
        - name: h2-busy
          base-url: %s
          api-key-entries: [{api-key: k2}]
          models: [{name: busy}]
      """.formatted(MANAGEMENT_KEY, upstream.baseUrl(), upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();
  private final GatewayClient management = new GatewayClient(gateway, MANAGEMENT_KEY);

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  @Test
  void aRefusedStreamGoesAgainAndNothingCools() throws Exception {
    StreamRefuser refuser = new StreamRefuser(2);
    upstream.respondWith(refuser);

    HttpResponse<String> r = client.chat("m");

    assertEquals(200, r.statusCode(), r.body());
    assertEquals(3, refuser.seen.get(), "two refused, the third answered");
    assertEquals("HTTP/2.0", upstream.requests().get(0).protocol());
    String metrics = management.get("/metrics").body();
    assertEquals(2, count(metrics, "refused_stream", "h2"), "the repeats are counted");
    assertEquals(0, count(metrics, "transient", "h2"), "and are no failure");
    JsonNode status = JSON.readTree(management.get("/v0/management/upstream-status").body());
    assertTrue(status.at("/providers/0/keys/0/cooling").isNull(), "nothing cools: " + status);
  }

  @Test
  void anUpstreamThatRefusesEveryStreamIsGivenUpOnAfterTheRepeats() throws Exception {
    StreamRefuser refuser = new StreamRefuser(Integer.MAX_VALUE);
    upstream.respondWith(refuser);

    HttpResponse<String> r = client.chat("busy");

    assertEquals(502, r.statusCode(), r.body());
    assertEquals(4, refuser.seen.get(), "the attempt and three repeats, no more");
    String metrics = management.get("/metrics").body();
    assertEquals(3, count(metrics, "refused_stream", "h2-busy"));
    assertEquals(1, count(metrics, "transient", "h2-busy"), "the last refusal is the attempt's failure");
  }

  /** {@code llmproxy_upstream_attempts_total} for one outcome and provider, 0 when absent. */
  private static int count(String metrics, String outcome, String provider) {
    return (int) new PrometheusScrape(metrics).sum("llmproxy_upstream_attempts_total", "outcome", outcome, "provider",
        provider);
  }

  /** Refuses the first {@code refusals} chat requests' streams, then answers as the default fake does. */
  private static final class StreamRefuser implements FakeUpstream.Responder {
    final AtomicInteger seen = new AtomicInteger();
    private final int refusals;
    private final OpenAiResponder answers = new OpenAiResponder();

    StreamRefuser(int refusals) {
      this.refusals = refusals;
    }

    @Override
    public UpstreamResponse respond(RecordedRequest request) {
      if (request.path().endsWith("/chat/completions") && seen.incrementAndGet() <= refusals) {
        return UpstreamResponse.refuseStream();
      }
      return answers.respond(request);
    }
  }
}
