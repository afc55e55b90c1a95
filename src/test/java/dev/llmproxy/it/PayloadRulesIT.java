package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.done;
import static dev.llmproxy.testing.SseStep.finish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code payload} rules change what reaches the upstream, in the real webapp against a real upstream: by the model
 * each attempt asks for, by the client's dialect and headers, and after the gateway's own changes to the body.
 */
class PayloadRulesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      openai-compatibility:
        - name: p
          base-url: %s
          api-key-entries: [{api-key: k}]
          models:
            - {name: vendor/big-model, alias: house}
            - {name: picky-model, alias: picky}
            - {name: pool-a, alias: pool}
            - {name: pool-b, alias: pool}
            - {name: claude-backend, alias: claude-sonnet-4-5}
      payload:
        default:
          - models: [{name: "vendor/*"}]
            params: {max_tokens: 256, temperature: 0.3}
        override:
          - models: [{name: house}]
            params: {"reasoning_effort": high}
          - models: [{name: pool-a}]
            params: {member: a}
          - models: [{name: pool-b}]
            params: {member: b}
          - models: [{name: "*", from-protocol: claude}]
            params: {"metadata.from": claude-code}
          - models: [{name: house, headers: {X-Tenant: "gold-*"}}]
            params: {service_tier: priority}
        filter:
          - models: [{name: picky-model}]
            params: [stream_options, "messages.#(role==\\"system\\")#"]
      """.formatted(upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  private static JsonNode sent() throws Exception {
    return JSON.readTree(upstream.lastRequest().body());
  }

  @Test
  void defaultsFillWhatTheClientLeftOutAndOverridesReplaceWhatItSent() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));

    HttpResponse<String> r = client.post("/v1/chat/completions", "{\"model\":\"house\",\"temperature\":1,"
        + "\"reasoning_effort\":\"low\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(200, r.statusCode(), r.body());
    JsonNode sent = sent();
    assertEquals("vendor/big-model", sent.get("model").asText(), "rules apply after the model is set");
    assertEquals(1, sent.get("temperature").asInt(), "a default leaves what the client sent");
    assertEquals(256, sent.get("max_tokens").asInt(), "a default fills what it left out");
    assertEquals("high", sent.get("reasoning_effort").asText(), "an override replaces it");
    assertFalse(sent.has("service_tier"), "no X-Tenant header, no priority: " + sent);
    assertFalse(sent.has("metadata"), "an OpenAI client is not Claude Code: " + sent);
  }

  @Test
  void aRuleCanAskForAClientHeader() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));
    HttpRequest request = client.request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("X-Tenant", "gold-7").POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"house\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();

    HttpResponse<String> r = client.send(request);

    assertEquals(200, r.statusCode(), r.body());
    assertEquals("priority", sent().get("service_tier").asText());
    assertEquals(null, upstream.lastRequest().header("X-Tenant"), "asked about, not sent upstream");
  }

  @Test
  void aFilterTakesOutWhatAPickyProviderRefusesAndItsStreamStillFlows() throws Exception {
    upstream.respondWith(r -> r.json().has("stream_options")
        ? UpstreamResponse.json(400, OpenAiBodies.error("invalid_request_error", "unknown field stream_options", null))
        : UpstreamResponse.sse(chunk(r.model(), "a"), chunk(r.model(), "b"), finish(r.model()), done()));

    List<String> deltas = new ArrayList<>();
    HttpResponse<java.io.InputStream> stream = client.send(client.request("/v1/chat/completions")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"picky\","
            + "\"stream\":true,\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
            + "{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"system\",\"content\":\"again\"}]}")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    try (SseEvents events = SseEvents.of(stream)) {
      deltas.add(events.next().deltaContent());
      deltas.add(events.next().deltaContent());
      events.next();
      assertTrue(events.next().isDone());
    }

    assertEquals(List.of("a", "b"), deltas);
    JsonNode sent = sent();
    assertFalse(sent.has("stream_options"), "the gateway's own usage request is filtered too: " + sent);
    assertEquals(List.of("user"), sent.get("messages").findValuesAsText("role"), "every system message removed");
    assertTrue(sent.get("stream").asBoolean());
  }

  @Test
  void eachMemberOfAPoolGetsTheRulesOfItsOwnModel() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));

    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      assertEquals(200, client.chat("pool").statusCode());
      JsonNode sent = sent();
      seen.add(sent.get("model").asText() + "=" + sent.get("member").asText());
    }

    assertEquals(List.of("pool-a=a", "pool-b=b"), seen.stream().sorted().toList(), "round robin over the pool");
  }

  @Test
  void aRuleForClaudeCodeSeesTheTranslatedRequest() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));

    HttpResponse<String> r = client.post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(200, r.statusCode(), r.body());
    assertEquals("hi", JSON.readTree(r.body()).at("/content/0/text").asText());
    JsonNode sent = sent();
    assertEquals("claude-code", sent.at("/metadata/from").asText(), sent.toString());
    assertTrue(sent.has("messages"), "a chat-completions body: " + sent);
  }
}
