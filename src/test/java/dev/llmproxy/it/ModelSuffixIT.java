package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.RecordedRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CLIProxyAPI's model names beyond configured ids: {@code auto} as the client's first model, and a thinking suffix
 * {@code name(value)} that picks the model {@code name} and asks it for a {@code reasoning_effort}; the upstream
 * never sees the suffix, and limits judge the model it names.
 */
class ModelSuffixIT {
  private static final String NARROW = "narrow-key-000000001";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys:
        - "team-key-1"
        - {key: "%s", name: narrow, models: ["kimi-k2"]}
      openai-compatibility:
        - name: p
          base-url: %s
          api-key-entries: [{api-key: sk-upstream}]
          models:
            - {name: anthropic/claude-sonnet-4, alias: claude-sonnet}
            - {name: kimi-k2-up, alias: kimi-k2}
        - name: o
          prefix: or
          base-url: %s
          api-key-entries: [{api-key: sk-or}]
          models: [{name: anthropic/claude-opus-4, alias: claude-opus}]
      """.formatted(NARROW, upstream.baseUrl(), upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @BeforeEach
  void resetUpstream() {
    upstream.reset();
  }

  private static JsonNode json(String body) throws Exception {
    return JSON.readTree(body);
  }

  @Test
  void aSuffixedAliasReachesItsUpstreamModelWithTheEffort() throws Exception {
    HttpResponse<String> response = client.chat("claude-sonnet(high)");

    assertEquals(200, response.statusCode(), response.body());
    JsonNode sent = upstream.lastRequest().json();
    assertEquals("anthropic/claude-sonnet-4", sent.path("model").asText());
    assertEquals("high", sent.path("reasoning_effort").asText());
    assertEquals("hi", sent.at("/messages/0/content").asText());
  }

  @Test
  void aPrefixedIdTakesASuffixToo() throws Exception {
    assertEquals(200, client.chat("or/claude-opus(LOW)").statusCode());

    JsonNode sent = upstream.lastRequest().json();
    assertEquals("anthropic/claude-opus-4", sent.path("model").asText());
    assertEquals("low", sent.path("reasoning_effort").asText());
    assertEquals("Bearer sk-or", upstream.lastRequest().header("Authorization"));
  }

  @Test
  void aBudgetBecomesTheEffortAnthropicsBudgetTokensWouldAndReplacesTheClientsOwn() throws Exception {
    HttpResponse<String> response = client.post("/v1/chat/completions",
        "{\"model\":\"kimi-k2(8000)\",\"reasoning_effort\":\"minimal\",\"messages\":[]}");

    assertEquals(200, response.statusCode(), response.body());
    JsonNode sent = upstream.lastRequest().json();
    assertEquals("kimi-k2-up", sent.path("model").asText());
    assertEquals("medium", sent.path("reasoning_effort").asText());
    assertFalse(upstream.lastRequest().bodyText().contains("minimal"), upstream.lastRequest().bodyText());
  }

  @Test
  void autoAsTheSuffixLeavesTheEffortToTheProvider() throws Exception {
    assertEquals(200, client.post("/v1/chat/completions",
        "{\"model\":\"kimi-k2(auto)\",\"reasoning_effort\":\"high\",\"messages\":[]}").statusCode());

    JsonNode sent = upstream.lastRequest().json();
    assertEquals("kimi-k2-up", sent.path("model").asText());
    assertTrue(sent.path("reasoning_effort").isMissingNode(), sent.toString());
  }

  @Test
  void anAnthropicClientsSuffixReplacesItsThinking() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/messages"))
        .header("x-api-key", "team-key-1").header("anthropic-version", "2023-06-01")
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet(high)\",\"max_tokens\":100,"
            + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
    HttpResponse<String> response = client.send(request);

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("message", json(response.body()).path("type").asText());
    JsonNode sent = upstream.lastRequest().json();
    assertEquals("anthropic/claude-sonnet-4", sent.path("model").asText());
    assertEquals("high", sent.path("reasoning_effort").asText());
  }

  @Test
  void aGeminiUrlTakesASuffixToo() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1beta/models/kimi-k2(high):generateContent"))
        .header("x-goog-api-key", "team-key-1").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"))
        .build();
    HttpResponse<String> response = client.send(request);

    assertEquals(200, response.statusCode(), response.body());
    JsonNode sent = upstream.lastRequest().json();
    assertEquals("kimi-k2-up", sent.path("model").asText());
    assertEquals("high", sent.path("reasoning_effort").asText());
  }

  @Test
  void autoReachesTheFirstModelTheClientMayUse() throws Exception {
    assertEquals(200, client.chat("auto").statusCode());
    assertEquals("anthropic/claude-sonnet-4", upstream.lastRequest().json().path("model").asText());

    assertEquals(200, new GatewayClient(gateway, NARROW).chat("auto").statusCode());
    assertEquals("kimi-k2-up", upstream.lastRequest().json().path("model").asText());
  }

  @Test
  void anUnknownSuffixValueIsA400NamingModel() throws Exception {
    HttpResponse<String> response = client.chat("kimi-k2(bogus)");

    assertEquals(400, response.statusCode());
    JsonNode error = json(response.body()).path("error");
    assertEquals("invalid_request_error", error.path("type").asText());
    assertEquals("model", error.path("param").asText());
    assertTrue(error.path("message").asText().contains("minimal, low, medium, high, none, auto"), response.body());
    assertTrue(upstream.requests().isEmpty());
  }

  @Test
  void anUnknownBaseIsStillA404() throws Exception {
    HttpResponse<String> response = client.chat("gpt-9(high)");

    assertEquals(404, response.statusCode());
    assertEquals("model_not_found", json(response.body()).at("/error/code").asText());
  }

  @Test
  void aKeyWhoseModelsExcludeTheBaseIsRefusedWithTheSuffixToo() throws Exception {
    GatewayClient narrow = new GatewayClient(gateway, NARROW);
    HttpResponse<String> refused = narrow.chat("claude-sonnet(high)");

    assertEquals(403, refused.statusCode(), refused.body());
    assertEquals("model_not_allowed", json(refused.body()).at("/error/code").asText());
    assertTrue(upstream.requests().isEmpty());
    assertEquals(200, narrow.chat("kimi-k2(high)").statusCode());
  }

  @Test
  void withoutASuffixTheClientsBodyGoesUpstreamUnchangedButForTheModel() {
    String body = "{ \"messages\" : [{\"role\":\"user\",\"content\":\"hi (high)\"}],\n  \"model\":\"kimi-k2\","
        + " \"temperature\": 0.70, \"reasoning_effort\":\"low\" }";
    assertEquals(200, client.post("/v1/chat/completions", body).statusCode());

    RecordedRequest sent = upstream.lastRequest();
    assertEquals(body.replace("\"kimi-k2\"", "\"kimi-k2-up\""), sent.bodyText());
  }
  @Test
  void aModelAskedForWithASuffixIsFoundUnderTheNameAsked() throws Exception {
    HttpResponse<String> found = client.get("/v1/models/or/claude-opus(high)");
    assertEquals(200, found.statusCode(), found.body());
    assertEquals("or/claude-opus(high)", json(found.body()).path("id").asText());

    HttpRequest gemini = HttpRequest.newBuilder(gateway.uri("/v1beta/models/kimi-k2(8192)"))
        .header("x-goog-api-key", "team-key-1").GET().build();
    HttpResponse<String> geminiFound = client.send(gemini);
    assertEquals(200, geminiFound.statusCode(), geminiFound.body());
    assertEquals("models/kimi-k2(8192)", json(geminiFound.body()).path("name").asText());
    assertEquals(200, client.get("/v1/models/auto").statusCode());
  }

  @Test
  void aSuffixFindsNoModelTheKeyMayNotUseNorAnUnacceptedValue() throws Exception {
    assertEquals(404, client.get("/v1/models/kimi-k2(bogus)").statusCode());
    assertEquals(404, client.get("/v1/models/gpt-9(high)").statusCode());
    GatewayClient narrow = new GatewayClient(gateway, NARROW);
    assertEquals(404, narrow.get("/v1/models/claude-sonnet(high)").statusCode());
    assertEquals(200, narrow.get("/v1/models/kimi-k2(high)").statusCode());
  }
}
