package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.done;
import static dev.llmproxy.testing.SseStep.finish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code force-mapping}: answers name the model as the client asked for it; without it, as the upstream does. */
class ForceMappingIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      openai-compatibility:
        - name: p
          base-url: %s
          api-key-entries: [{api-key: k}]
          models:
            - {name: vendor/model-v2-2026, alias: house-model, force-mapping: true}
            - {name: vendor/plain-v1, alias: plain}
      """.formatted(upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @Test
  void aJsonAnswerNamesTheAlias() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));
    HttpResponse<String> mapped = client.chat("house-model");
    assertEquals(200, mapped.statusCode(), mapped.body());
    assertEquals("house-model", JSON.readTree(mapped.body()).get("model").asText());
    assertEquals("vendor/model-v2-2026", upstream.lastRequest().model(), "the upstream still gets its own id");
    assertEquals(String.valueOf(mapped.body().length()), mapped.headers().firstValue("content-length").orElse(""),
        "the length is the rewritten body's");

    HttpResponse<String> plain = client.chat("plain");
    assertEquals("vendor/plain-v1", JSON.readTree(plain.body()).get("model").asText(), "not mapped by default");
  }

  @Test
  void everyStreamedEventNamesTheAlias() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.sse(chunk(r.model(), "a"), chunk(r.model(), "b"), finish(r.model()),
        done()));
    try (SseEvents events = SseEvents.of(client.stream("house-model"))) {
      for (String expected : new String[] {"a", "b"}) {
        var event = events.next();
        assertEquals(expected, event.deltaContent());
        assertEquals("house-model", JSON.readTree(event.data()).get("model").asText(), event.data());
      }
      assertEquals("house-model", JSON.readTree(events.next().data()).get("model").asText());
      assertTrue(events.next().isDone());
    }
  }
}
