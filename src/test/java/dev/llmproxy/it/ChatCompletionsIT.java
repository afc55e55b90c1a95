package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.await;
import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.done;
import static dev.llmproxy.testing.SseStep.finish;
import static dev.llmproxy.testing.SseStep.stall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core data path end to end: the real WAR in Jetty 12, a fake provider speaking real HTTP and SSE. */
class ChatCompletionsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      max-request-body: 4KiB
      disable-cooling: true   # tests here are about the data path; cooldowns have their own IT
      upstream:
        read-timeout: 1s
      openai-compatibility:
        - name: openrouter
          prefix: or
          base-url: %s
          headers:
            HTTP-Referer: "https://myapp.com"
            X-Title: "My Application"
            X-Client-Id: "$X-Client-Id"
          api-key-entries:
            - api-key: sk-up-key-one
            - api-key: sk-up-key-two
          models:
            - name: anthropic/claude-3.5-sonnet
              alias: claude-sonnet
            - name: gpt-4-turbo
          excluded-models: ["gpt-4-*"]
      """.formatted(upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void relaysChatWithUpstreamKeyProviderHeadersAndOnlyTheModelRewritten() throws Exception {
    String body = "{\"model\":\"or/claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"temperature\":0.2,\"x_unknown\":{\"keep\":[1,2]}}";
    HttpResponse<String> response = client.send(client.request("/v1/chat/completions")
        .header("Content-Type", "application/json")
        .header("X-Client-Id", "cursor-42")
        .header("X-Private", "do-not-forward")
        .header("Cookie", "session=abc")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("anthropic/claude-3.5-sonnet", json(response.body()).path("model").asText());
    RecordedRequest seen = upstream.lastRequest();
    assertEquals("/v1/chat/completions", seen.path());
    assertTrue(seen.header("Authorization").startsWith("Bearer sk-up-key-"), seen.header("Authorization"));
    assertEquals("https://myapp.com", seen.header("HTTP-Referer"));
    assertEquals("My Application", seen.header("X-Title"));
    assertEquals("cursor-42", seen.header("X-Client-Id"), "$X-Client-Id copies the client's header");
    assertNull(seen.header("X-Private"), "other client headers are not forwarded");
    assertNull(seen.header("Cookie"));
    assertFalse(seen.headers().toString().contains("team-key-1"), "the client key never goes upstream");
    assertEquals(body.replace("or/claude-sonnet", "anthropic/claude-3.5-sonnet"), seen.bodyText(),
        "every other byte passes through untouched");
  }

  @Test
  void upstreamResponseHeadersStayUpstreamByDefault() {
    upstream.respondWith(r -> UpstreamResponse.json(200, OpenAiBodies.chatCompletion(r.model(), "hi"),
        "x-request-id", "req-1", "openai-organization", "org-of-the-upstream-account"));
    HttpResponse<String> response = client.chat("or/claude-sonnet");
    assertEquals(200, response.statusCode(), response.body());
    assertFalse(response.headers().firstValue("x-request-id").isPresent(), "passthrough-headers is off");
    assertFalse(response.headers().firstValue("openai-organization").isPresent());
  }

  @Test
  void streamsFirstEventBeforeUpstreamFinishes() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    upstream.respondWith(req -> UpstreamResponse.sse(
        chunk(req.model(), "Hel"), await(release), chunk(req.model(), "lo"), finish(req.model()), done()));
    HttpResponse<InputStream> response = client.stream("claude-sonnet");
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
    try (SseEvents events = SseEvents.of(response)) {
      assertEquals("Hel", events.next().deltaContent());
      assertEquals(1, release.getCount(), "event 1 arrived while the upstream still holds event 2");
      release.countDown();
      assertEquals("lo", events.next().deltaContent());
      events.next();
      assertTrue(events.next().isDone());
      assertTrue(events.nextOrEnd(Duration.ofSeconds(5)).isEmpty(), "nothing after [DONE]");
    }
  }

  @Test
  void unknownAndExcludedModelsGive404WithoutAnUpstreamCall() throws Exception {
    for (String model : List.of("nope", "gpt-4-turbo", "anthropic/claude-3.5-sonnet", "Claude-Sonnet")) {
      HttpResponse<String> response = client.chat(model);
      assertEquals(404, response.statusCode(), model);
      JsonNode error = json(response.body()).path("error");
      assertEquals("model_not_found", error.path("code").asText());
      assertEquals("invalid_request_error", error.path("type").asText());
      assertEquals("model", error.path("param").asText());
    }
    assertTrue(upstream.requests().isEmpty());
  }

  @Test
  void clientKeyIsRequiredAndAcceptedFromEveryDocumentedPlace() throws Exception {
    HttpRequest.Builder noKey = HttpRequest.newBuilder(gateway.uri("/v1/models"));
    HttpResponse<String> missing = client.send(noKey.GET().build());
    assertEquals(401, missing.statusCode());
    assertEquals("authentication_error", json(missing.body()).path("error").path("type").asText());
    HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(gateway.uri("/v1/models"))
        .header("Authorization", "Bearer team-key-2").GET().build());
    assertEquals(401, wrong.statusCode());
    assertEquals("invalid_api_key", json(wrong.body()).path("error").path("code").asText());
    assertEquals(200, client.send(HttpRequest.newBuilder(gateway.uri("/v1/models"))
        .header("X-Api-Key", "team-key-1").GET().build()).statusCode());
    assertEquals(200, client.send(HttpRequest.newBuilder(gateway.uri("/v1/models"))
        .header("X-Goog-Api-Key", "team-key-1").GET().build()).statusCode());
    assertEquals(200, client.send(HttpRequest.newBuilder(gateway.uri("/v1/models?key=team-key-1")).GET().build()).statusCode());
    HttpResponse<String> chatNoKey = client.send(HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet\"}")).build());
    assertEquals(401, chatNoKey.statusCode());
    assertTrue(upstream.requests().isEmpty());
  }

  @Test
  void modelsListsAliasesWithPrefixesAndHidesExcluded() throws Exception {
    JsonNode list = json(client.get("/v1/models").body());
    assertEquals("list", list.path("object").asText());
    assertEquals(2, list.path("data").size());
    assertEquals("or/claude-sonnet", list.path("data").get(0).path("id").asText());
    assertEquals("claude-sonnet", list.path("data").get(1).path("id").asText());
    JsonNode one = list.path("data").get(0);
    assertEquals("model", one.path("object").asText());
    assertEquals("openrouter", one.path("owned_by").asText());
    assertTrue(one.path("created").asLong() > 1_700_000_000L);

    HttpResponse<String> single = client.get("/v1/models/or/claude-sonnet");
    assertEquals(200, single.statusCode());
    assertEquals("or/claude-sonnet", json(single.body()).path("id").asText());
    HttpResponse<String> missing = client.get("/v1/models/gpt-4-turbo");
    assertEquals(404, missing.statusCode());
    assertEquals("model_not_found", json(missing.body()).path("error").path("code").asText());
  }

  @Test
  void badBodiesGetClear4xxErrors() throws Exception {
    HttpResponse<String> malformed = client.post("/v1/chat/completions", "{\"model\": \"claude-sonnet\", ");
    assertEquals(400, malformed.statusCode());
    assertEquals("invalid_json", json(malformed.body()).path("error").path("code").asText());
    HttpResponse<String> noModel = client.post("/v1/chat/completions", "{\"messages\":[]}");
    assertEquals(400, noModel.statusCode());
    HttpResponse<String> tooLarge = client.post("/v1/chat/completions",
        "{\"model\":\"claude-sonnet\",\"pad\":\"" + "x".repeat(5000) + "\"}");
    assertEquals(413, tooLarge.statusCode());
    assertEquals("request_too_large", json(tooLarge.body()).path("error").path("code").asText());
    HttpResponse<String> unknownPath = client.post("/v1/audio/speech", "{}");
    assertEquals(404, unknownPath.statusCode());
    assertEquals("invalid_request_error", json(unknownPath.body()).path("error").path("type").asText());
    HttpResponse<String> belowMessages = client.post("/v1/messages/batches", "{}");
    assertEquals(404, belowMessages.statusCode());
    assertEquals("not_found_error", json(belowMessages.body()).path("error").path("type").asText(),
        "a path below Anthropic's /v1/messages is answered in its envelope: " + belowMessages.body());
    HttpResponse<String> wrongMethod = client.get("/v1/chat/completions");
    assertEquals(405, wrongMethod.statusCode());
    HttpResponse<String> postToModels = client.post("/v1/models", "{}");
    assertEquals(405, postToModels.statusCode());
    assertTrue(postToModels.headers().firstValue("Allow").orElse("").contains("GET"), postToModels.headers().map()
        .toString());
    assertEquals("method_not_allowed", json(postToModels.body()).at("/error/code").asText(), postToModels.body());
    assertTrue(upstream.requests().isEmpty());
  }

  @Test
  void upstreamRequestFaultComesBackWithItsStatusAndBody() throws Exception {
    String error = OpenAiBodies.error("invalid_request_error", "maximum context length exceeded", "context_length_exceeded");
    upstream.respondWith(req -> UpstreamResponse.json(400, error));
    HttpResponse<String> response = client.chat("claude-sonnet");
    assertEquals(400, response.statusCode());
    assertEquals("context_length_exceeded", json(response.body()).path("error").path("code").asText());
    assertEquals(1, upstream.requests().size(), "a request fault is not retried on the other key");
  }

  @Test
  void upstreamThatStallsGives504AndIsReleased() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.stallBeforeHeaders());
    HttpResponse<String> response = client.chat("claude-sonnet");
    assertEquals(504, response.statusCode());
    assertEquals("upstream_timeout", json(response.body()).path("error").path("code").asText());
    assertEquals("server_error", json(response.body()).path("error").path("type").asText());
    assertEquals(2, upstream.requests().size(), "both keys were tried before giving up");
    upstream.awaitCancelledStreams(2, Duration.ofSeconds(10));
    assertEquals(2, upstream.streamStats().cancelled(), "the gateway closed both stalled exchanges");
  }

  @Test
  void redirectsFromTheUpstreamAreNotFollowed() throws Exception {
    upstream.respondWith(req -> req.path().contains("elsewhere")
        ? UpstreamResponse.json(OpenAiBodies.chatCompletion("x", "followed"))
        : UpstreamResponse.json(302, "{}", "Location", upstream.rootUrl() + "/elsewhere"));
    HttpResponse<String> response = client.chat("claude-sonnet");
    assertEquals(502, response.statusCode());
    assertTrue(upstream.requests().stream().noneMatch(r -> r.path().contains("elsewhere")));
  }

  @Test
  void streamCutMidwayEndsWithAnErrorEventNotACleanClose() throws Exception {
    CountDownLatch firstEventSeen = new CountDownLatch(1);
    upstream.respondWith(req -> UpstreamResponse.sse(
        chunk(req.model(), "partial"), await(firstEventSeen), dev.llmproxy.testing.SseStep.abort()));
    try (SseEvents events = SseEvents.of(client.stream("claude-sonnet"))) {
      assertEquals("partial", events.next().deltaContent());
      firstEventSeen.countDown();
      var last = events.next();
      assertTrue(last.isError(), last.data());
      assertTrue(last.data().contains("the connection broke before the answer was complete"), last.data());
      assertTrue(events.nextOrEnd(Duration.ofSeconds(5)).isEmpty());
    }
  }

  @Test
  void anEventTheGatewayCannotReadIsSaidToBeThatNotALostConnection() throws Exception {
    // It looks like an object but is not JSON: the translator for an Anthropic client cannot read it.
    upstream.respondWith(req -> UpstreamResponse.sse(dev.llmproxy.testing.SseStep.send("data: {\"choices\": nope}\n\n")));
    HttpResponse<String> r = client.post("/v1/messages", "{\"model\":\"claude-sonnet\",\"max_tokens\":10,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(502, r.statusCode(), r.body());
    assertTrue(r.body().contains("sent an event that could not be read"), r.body());
  }

  @Test
  void aCompleteStreamWithoutDoneEndsNormallyWithDone() throws Exception {
    // Some providers omit the sentinel: a finish_reason was sent, so the answer is whole.
    upstream.respondWith(req -> UpstreamResponse.sse(chunk(req.model(), "a"), finish(req.model())));
    try (SseEvents events = SseEvents.of(client.stream("claude-sonnet"))) {
      assertEquals("a", events.next().deltaContent());
      assertFalse(events.next().isError());
      assertTrue(events.next().isDone(), "the gateway adds the [DONE] the upstream left out");
    }
  }

  @Test
  void aStreamCutBeforeAnyFinishReasonEndsWithAnErrorEvent() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.sse(chunk(req.model(), "a"), chunk(req.model(), "b")));
    try (SseEvents events = SseEvents.of(client.stream("claude-sonnet"))) {
      events.next();
      events.next();
      var last = events.next();
      assertTrue(last.isError(), last.data());
      assertTrue(last.data().contains("ended before the answer was complete"), last.data());
    }
  }

  @Test
  void clientDisconnectCancelsTheUpstreamExchange() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.sse(chunk(req.model(), "first"), stall()));
    SseEvents events = SseEvents.of(client.stream("claude-sonnet"));
    assertEquals("first", events.next().deltaContent());
    events.close();
    upstream.awaitCancelledStreams(1, Duration.ofSeconds(10));
    assertEquals(1, upstream.streamStats().cancelled());
  }

  @Test
  void keysRotateRoundRobinPerModel() throws Exception {
    for (int i = 0; i < 4; i++) {
      assertEquals(200, client.chat("claude-sonnet").statusCode());
    }
    List<String> keys = upstream.requests().stream().map(r -> r.header("Authorization")).toList();
    assertEquals(List.of(keys.get(0), keys.get(1), keys.get(0), keys.get(1)), keys);
    assertFalse(keys.get(0).equals(keys.get(1)));
  }

  @Test
  void healthzNeedsNoKey() {
    HttpResponse<String> health = client.send(HttpRequest.newBuilder(gateway.uri("/healthz")).GET().build());
    assertEquals(200, health.statusCode());
    assertEquals("{\"status\":\"ok\",\"state\":\"memory\",\"usage\":\"database\"}", health.body());
  }
}
