package dev.llmproxy.it;

import static dev.llmproxy.testing.OpenAiBodies.chatCompletionChunk;
import static dev.llmproxy.testing.OpenAiBodies.deltaChunk;
import static dev.llmproxy.testing.OpenAiBodies.toolCallChunk;
import static dev.llmproxy.testing.OpenAiBodies.usageChunk;
import static dev.llmproxy.testing.SseStep.abort;
import static dev.llmproxy.testing.SseStep.await;
import static dev.llmproxy.testing.SseStep.data;
import static dev.llmproxy.testing.SseStep.done;
import static dev.llmproxy.testing.SseStep.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.ResponsesEventGrammar;
import dev.llmproxy.testing.SseEvent;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Codex CLI's API, served by chat-completions providers: the official OpenAI Java SDK's Responses API
 * pointed at the gateway (as Codex's {@code base_url} points it there), the raw event grammar on the
 * wire, and {@code responses-api: native} providers that get the request as is.
 */
class ResponsesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "deepseek-chat";

  @RegisterExtension
  @Order(1)
  static final FakeUpstream openai = new FakeUpstream();

  @RegisterExtension
  @Order(2)
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      disable-cooling: true
      openai-compatibility:
        - name: deepseek
          base-url: %s
          api-key-entries: [{api-key: sk-deepseek-upstream}]
          models:
            - {name: deepseek-chat, alias: gpt-5-codex}
            - {name: deepseek-chat, alias: mixed}
        - name: openai
          responses-api: native
          base-url: %s
          api-key-entries: [{api-key: sk-openai-upstream}]
          models:
            - {name: gpt-5.1-codex, alias: native-codex}
            - {name: gpt-5.1-codex, alias: mixed}
      routing: {pool-strategy: ordered}
      """.formatted(upstream.baseUrl(), openai.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private OpenAIClient sdk;

  @BeforeEach
  void newSdk() {
    upstream.reset();
    openai.reset();
    sdk = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("team-key-1").maxRetries(0).build();
  }

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  private static ResponseCreateParams.Builder params(String model) {
    return ResponseCreateParams.builder().model(model).instructions("You are Codex.")
        .input("What is the weather in Paris?").store(false);
  }

  private static final FunctionTool WEATHER = FunctionTool.builder().name("get_weather")
      .description("Weather for a city").strict(false)
      .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
          .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
      .build();

  @Test
  void aResponseIsAnsweredByAChatProviderWithItsUsage() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.json("{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\""
        + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Sunny.\","
        + "\"reasoning_content\":\"Paris is in France.\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":300,\"total_tokens\":1500,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1024},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":120}}}"));
    Response response = sdk.responses().create(params("gpt-5-codex").build());

    assertEquals("gpt-5-codex", ObjectMappers.jsonMapper().valueToTree(response).get("model").asText(),
        "the model as the client named it");
    assertEquals(ResponseStatus.COMPLETED, response.status().orElseThrow());
    assertTrue(response.id().startsWith("resp_"), response.id());
    assertTrue(response.output().get(0).isReasoning(), "reasoning first");
    assertEquals("Paris is in France.", response.output().get(0).asReasoning().summary().get(0).text());
    assertEquals("Sunny.", response.output().get(1).asMessage().content().get(0).asOutputText().text());
    ResponseUsage usage = response.usage().orElseThrow();
    assertEquals(1200, usage.inputTokens());
    assertEquals(1024, usage.inputTokensDetails().cachedTokens());
    assertEquals(300, usage.outputTokens());
    assertEquals(120, usage.outputTokensDetails().reasoningTokens());
    assertEquals(1500, usage.totalTokens());

    RecordedRequest sent = upstream.lastRequest();
    assertEquals("/v1/chat/completions", sent.path());
    assertEquals(MODEL, sent.model());
    assertEquals("system", sent.json().at("/messages/0/role").asText());
    assertEquals("You are Codex.", sent.json().at("/messages/0/content").asText());
    assertEquals("What is the weather in Paris?", sent.json().at("/messages/1/content").asText());
    assertFalse(sent.json().has("store"), "Responses-only fields stay out of the chat body");
    assertEquals("Bearer sk-deepseek-upstream", sent.header("Authorization"));
  }

  @Test
  void aStreamedAnswerReachesTheSdkAsTheFullEventSequence() {
    upstream.respondWith(req -> UpstreamResponse.sse(
        data(deltaChunk(MODEL, "{\"role\":\"assistant\",\"content\":\"\"}")),
        data(deltaChunk(MODEL, "{\"content\":\"Sunny\"}")), data(deltaChunk(MODEL, "{\"content\":\" and 21C.\"}")),
        data(chatCompletionChunk(MODEL, null, "stop")), data(usageChunk(MODEL, 50, 4, 32, 0)), done()));
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    List<String> types = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(params("gpt-5-codex").build())) {
      stream.stream().forEach(event -> {
        types.add(ObjectMappers.jsonMapper().valueToTree(event).get("type").asText());
        accumulator.accumulate(event);
      });
    }
    assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
        "response.output_text.done", "response.content_part.done", "response.output_item.done",
        "response.completed"), types);
    Response response = accumulator.response();
    assertEquals(ResponseStatus.COMPLETED, response.status().orElseThrow());
    assertEquals("Sunny and 21C.", response.output().get(0).asMessage().content().get(0).asOutputText().text());
    assertEquals(50, response.usage().orElseThrow().inputTokens());
    assertEquals(32, response.usage().orElseThrow().inputTokensDetails().cachedTokens());
    JsonNode sent = upstream.lastRequest().json();
    assertTrue(sent.get("stream").asBoolean());
    assertTrue(sent.at("/stream_options/include_usage").asBoolean(), "asks for the usage the final event carries");
  }

  @Test
  void aFunctionCallRoundTripWithArgumentsSplitOverChunks() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.sse(
        data(deltaChunk(MODEL, "{\"role\":\"assistant\",\"content\":\"Let me check.\"}")),
        data(toolCallChunk(MODEL, 0, "call_weather_1", "get_weather", "{\"ci")),
        data(toolCallChunk(MODEL, 0, null, null, "ty\": \"Par")),
        data(toolCallChunk(MODEL, 0, null, null, "is\"}")),
        data(chatCompletionChunk(MODEL, null, "tool_calls")), data(usageChunk(MODEL, 80, 20, 0, 0)), done()));
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(params("gpt-5-codex")
        .addTool(WEATHER).build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Response first = accumulator.response();
    assertEquals("Let me check.", first.output().get(0).asMessage().content().get(0).asOutputText().text());
    ResponseFunctionToolCall call = first.output().get(1).asFunctionCall();
    assertEquals("get_weather", call.name());
    assertEquals("call_weather_1", call.callId());
    assertEquals("Paris", JSON.readTree(call.arguments()).get("city").asText(),
        "complete arguments: " + call.arguments());
    JsonNode firstRequest = upstream.lastRequest().json();
    assertEquals("get_weather", firstRequest.at("/tools/0/function/name").asText());
    assertEquals("string", firstRequest.at("/tools/0/function/parameters/properties/city/type").asText());

    // Codex runs the tool and sends the whole conversation again (store: false), with the output.
    upstream.respondWith(req -> UpstreamResponse.json(OpenAiBodies.chatCompletion(MODEL, "It is sunny in Paris.")));
    Response answer = sdk.responses().create(ResponseCreateParams.builder().model("gpt-5-codex")
        .instructions("You are Codex.").store(false).addTool(WEATHER)
        .inputOfResponse(List.of(
            ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                .content("What is the weather in Paris?").build()),
            ResponseInputItem.ofResponseOutputMessage(first.output().get(0).asMessage()),
            ResponseInputItem.ofFunctionCall(call),
            ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId()).output("sunny, 21C").build())))
        .build());
    assertEquals("It is sunny in Paris.", answer.output().get(0).asMessage().content().get(0).asOutputText().text());

    JsonNode messages = upstream.lastRequest().json().get("messages");
    assertEquals(List.of("system", "user", "assistant", "tool"), upstream.lastRequest().messageRoles());
    JsonNode assistant = messages.get(2);
    assertEquals("Let me check.", assistant.get("content").asText(), "the text and the call are one turn");
    assertEquals("call_weather_1", assistant.at("/tool_calls/0/id").asText());
    assertEquals("get_weather", assistant.at("/tool_calls/0/function/name").asText());
    assertEquals("Paris",
        JSON.readTree(assistant.at("/tool_calls/0/function/arguments").asText()).get("city").asText());
    assertEquals("call_weather_1", messages.get(3).get("tool_call_id").asText(), "the output right after its call");
    assertEquals("sunny, 21C", messages.get(3).get("content").asText());
  }

  @Test
  void previousResponseIdIsRefusedNamingTheFieldWithoutAnUpstreamCall() {
    BadRequestException refused = assertThrows(BadRequestException.class, () -> sdk.responses().create(
        params("gpt-5-codex").previousResponseId("resp_123").build()));
    // openai-java's exception body is the error object of OpenAI's envelope.
    String message = JSON.valueToTree(refused.body().convert(Map.class)).get("message").asText();
    assertTrue(message.contains("previous_response_id"), message);
    assertEquals("invalid_request_error", refused.type().orElse(""));
    assertEquals("previous_response_id", refused.param().orElse(""));
    assertTrue(message.contains("input"), "says to send the whole input: " + message);
    assertEquals(List.of(), upstream.requests());

    assertThrows(BadRequestException.class, () -> sdk.responses().create(
        params("mixed").previousResponseId("resp_123").build()),
        "a pool with a translating member refuses it too, whichever member rotation would pick");
    assertEquals(List.of(), openai.requests());
  }

  @Test
  void inputWithNothingToSendIsA400NamingTheItemAndNeverForwarded() throws Exception {
    GatewayClient client = new GatewayClient(gateway);
    HttpResponse<String> bogus = client.post("/v1/responses",
        "{\"model\":\"gpt-5-codex\",\"input\":[{\"type\":\"bogus\"}]}");
    assertEquals(400, bogus.statusCode(), bogus.body());
    JsonNode error = JSON.readTree(bogus.body()).get("error");
    assertEquals("invalid_request_error", error.get("type").asText());
    assertEquals("input[0].type", error.get("param").asText());
    assertTrue(error.get("message").asText().contains("function_call_output"), "lists the kinds understood");

    HttpResponse<String> onlyReasoning = client.post("/v1/responses", "{\"model\":\"gpt-5-codex\",\"instructions\":"
        + "\"You are Codex.\",\"input\":[{\"type\":\"reasoning\",\"summary\":[]}]}");
    assertEquals(400, onlyReasoning.statusCode(), onlyReasoning.body());
    assertEquals("input", JSON.readTree(onlyReasoning.body()).at("/error/param").asText());
    assertEquals(List.of(), upstream.requests(), "nothing was sent upstream");
  }

  @Test
  void aValueOfTheWrongTypeIsA400NamingItNeverDroppedOrPassedOn() throws Exception {
    GatewayClient client = new GatewayClient(gateway);
    for (String member : List.of("\"max_output_tokens\":\"ten\"", "\"stream\":\"yes\"", "\"temperature\":1e999")) {
      HttpResponse<String> r =
          client.post("/v1/responses", "{\"model\":\"gpt-5-codex\",\"input\":\"hi\"," + member + "}");
      assertEquals(400, r.statusCode(), member + ": " + r.body());
      assertEquals(member.substring(1, member.indexOf("\":")), JSON.readTree(r.body()).at("/error/param").asText());
    }
    assertEquals(List.of(), upstream.requests());
  }

  private static final String NATIVE_RESPONSE = """
      {"id":"resp_native_1","object":"response","created_at":1760000000,"status":"completed","error":null,
       "incomplete_details":null,"instructions":null,"model":"gpt-5.1-codex","parallel_tool_calls":true,
       "temperature":1.0,"tool_choice":"auto","tools":[],"top_p":1.0,"metadata":{},
       "output":[{"id":"msg_native_1","type":"message","status":"completed","role":"assistant",
         "content":[{"type":"output_text","text":"From OpenAI itself.","annotations":[]}]}],
       "usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":0,"cache_write_tokens":0},
         "output_tokens":4,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":14}}""";

  @Test
  void aNativeProviderGetsTheRequestAsIs() throws Exception {
    openai.respondWith(req -> UpstreamResponse.json(NATIVE_RESPONSE));
    Response response = sdk.responses().create(params("native-codex").previousResponseId("resp_earlier")
        .store(true).build());
    assertEquals("From OpenAI itself.", response.output().get(0).asMessage().content().get(0).asOutputText().text());
    assertEquals("resp_native_1", response.id());

    RecordedRequest sent = openai.lastRequest();
    assertEquals("/v1/responses", sent.path());
    assertEquals("gpt-5.1-codex", sent.model(), "only the model is rewritten");
    assertEquals("resp_earlier", sent.json().get("previous_response_id").asText());
    assertTrue(sent.json().get("store").asBoolean());
    assertEquals("What is the weather in Paris?", sent.json().get("input").asText());
    assertEquals("Bearer sk-openai-upstream", sent.header("Authorization"));
    assertEquals(List.of(), upstream.requests());
  }

  @Test
  void aPoolOfNativeAndTranslatingProvidersFailsOverBeforeTheFirstEvent() {
    // Ordered pool: deepseek (translate) first, then openai (native).
    upstream.respondWith(req -> UpstreamResponse.rateLimited(Duration.ofSeconds(30)));
    openai.respondWith(req -> UpstreamResponse.sse(
        event("response.created", "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
            + NATIVE_RESPONSE.replace("\"completed\"", "\"in_progress\"").replace("\n", "") + "}"),
        event("response.completed", "{\"type\":\"response.completed\",\"sequence_number\":1,\"response\":"
            + NATIVE_RESPONSE.replace("\n", "") + "}")));
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(params("mixed").build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    assertEquals("resp_native_1", accumulator.response().id(), "the native member's own stream, as is");
    assertEquals(1, upstream.requests().size());
    assertEquals("/v1/chat/completions", upstream.lastRequest().path());
    assertEquals("/v1/responses", openai.lastRequest().path());

    // And the other way round: the native member fails, the translating one answers.
    upstream.reset();
    openai.reset();
    openai.respondWith(req -> UpstreamResponse.error(503, "server_error", "overloaded"));
    upstream.respondWith(req -> UpstreamResponse.sse(data(deltaChunk(MODEL, "{\"role\":\"assistant\","
        + "\"content\":\"translated\"}")), data(chatCompletionChunk(MODEL, null, "stop")), done()));
    try (SseEvents events = SseEvents.of(rawStream("mixed"))) {
      ResponsesEventGrammar.Outcome outcome = ResponsesEventGrammar.check(events.remaining(Duration.ofSeconds(10)));
      assertEquals("response.completed", outcome.finalType());
      assertEquals("translated", outcome.text());
    }
  }

  // ---- the wire, as Codex reads it ----

  private HttpResponse<InputStream> rawStream(String model) {
    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/responses"))
        .header("Authorization", "Bearer team-key-1").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":true,\"store\":false,"
            + "\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":"
            + "[{\"type\":\"input_text\",\"text\":\"hi\"}]}]}"))
        .build();
    return new GatewayClient(gateway).send(request, HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void theEventGrammarOnTheWireStreamsAsItComesAndEndsWithUsage() {
    CountDownLatch upstreamMayGoOn = new CountDownLatch(1);
    upstream.respondWith(req -> UpstreamResponse.sse(
        data(deltaChunk(MODEL, "{\"role\":\"assistant\",\"reasoning_content\":\"Think.\"}")),
        data(deltaChunk(MODEL, "{\"content\":\"Hel\"}")), await(upstreamMayGoOn),
        data(deltaChunk(MODEL, "{\"content\":\"lo\"}")),
        data(toolCallChunk(MODEL, 0, "call_1", "get_weather", "{\"city\":")),
        data(toolCallChunk(MODEL, 0, null, null, "\"Paris\"}")),
        data(chatCompletionChunk(MODEL, null, "tool_calls")), data(usageChunk(MODEL, 120, 30, 100, 10)), done()));
    HttpResponse<InputStream> response = rawStream("gpt-5-codex");
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse("").split(";")[0]);
    List<SseEvent> all = new ArrayList<>();
    try (SseEvents events = SseEvents.of(response)) {
      SseEvent event;
      do {
        event = events.next();
        all.add(event);
      } while (!"response.output_text.delta".equals(event.event()));
      assertEquals("Hel", event.json().get("delta").asText());
      assertEquals(1, upstreamMayGoOn.getCount(), "the first text arrived while the upstream was still blocked");
      upstreamMayGoOn.countDown();
      all.addAll(events.remaining(Duration.ofSeconds(10)));
    } finally {
      upstreamMayGoOn.countDown();
    }
    assertFalse(all.stream().anyMatch(SseEvent::isDone), "no [DONE] for Responses clients");
    ResponsesEventGrammar.Outcome outcome = ResponsesEventGrammar.check(all);
    assertEquals("response.completed", outcome.finalType());
    assertEquals(List.of("reasoning", "message", "function_call"),
        outcome.items().stream().map(i -> i.get("type").asText()).toList(), "output_index 0, 1, 2 in upstream order");
    assertEquals("Hello", outcome.text());
    assertEquals("{\"city\":\"Paris\"}", outcome.items("function_call").get(0).get("arguments").asText());
    JsonNode usage = outcome.response().get("usage");
    assertEquals(120, usage.get("input_tokens").asLong());
    assertEquals(100, usage.at("/input_tokens_details/cached_tokens").asLong());
    assertEquals(10, usage.at("/output_tokens_details/reasoning_tokens").asLong());
  }

  @Test
  void aFailureAfterTheFirstEventEndsWithResponseFailed() {
    upstream.respondWith(req -> UpstreamResponse.sse(data(deltaChunk(MODEL, "{\"role\":\"assistant\","
        + "\"content\":\"Hal\"}")), data("{\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}")));
    try (SseEvents events = SseEvents.of(rawStream("gpt-5-codex"))) {
      ResponsesEventGrammar.Outcome outcome = ResponsesEventGrammar.check(events.remaining(Duration.ofSeconds(10)));
      assertEquals("response.failed", outcome.finalType());
      assertEquals("failed", outcome.response().get("status").asText());
      assertTrue(outcome.response().at("/error/message").asText().contains("model overloaded"),
          outcome.response().toString());
    }

    // The upstream cuts the connection once the client has the first text.
    CountDownLatch clientHasText = new CountDownLatch(1);
    upstream.respondWith(req -> UpstreamResponse.sse(data(deltaChunk(MODEL, "{\"role\":\"assistant\","
        + "\"content\":\"Hal\"}")), await(clientHasText), abort()));
    List<SseEvent> all = new ArrayList<>();
    try (SseEvents events = SseEvents.of(rawStream("gpt-5-codex"))) {
      all.add(events.next());
      while (!"response.output_text.delta".equals(all.get(all.size() - 1).event())) {
        all.add(events.next());
      }
      clientHasText.countDown();
      all.addAll(events.remaining(Duration.ofSeconds(10)));
    } finally {
      clientHasText.countDown();
    }
    ResponsesEventGrammar.Outcome outcome = ResponsesEventGrammar.check(all);
    assertEquals("response.failed", outcome.finalType(), "a cut upstream is never a silent close");
    assertEquals("Hal", all.stream().filter(e -> "response.output_text.delta".equals(e.event())).findFirst()
        .orElseThrow().json().get("delta").asText());
    assertEquals(1, outcome.items().size(), "the open message was closed before response.failed");
    JsonNode message = outcome.items().get(0);
    assertEquals("incomplete", message.get("status").asText());
    assertEquals("Hal", outcome.text());
    assertEquals(message, outcome.response().at("/output/0"), "the failed Response lists what was produced");
    assertEquals(1, outcome.response().get("output").size());
  }

  @Test
  void aRateLimitedUpstreamIsA429WithOpenAisErrorBody() {
    upstream.respondWith(req -> UpstreamResponse.rateLimited(Duration.ofSeconds(7)));
    RateLimitException limited = assertThrows(RateLimitException.class,
        () -> sdk.responses().create(params("gpt-5-codex").build()));
    assertEquals(429, limited.statusCode());
    assertEquals("rate_limit_exceeded", limited.code().orElse(""), limited.body().toString());
    assertEquals("7", limited.headers().values("retry-after").get(0));

    OpenAIServiceException unknown = assertThrows(OpenAIServiceException.class,
        () -> sdk.responses().create(params("no-such-model").build()));
    assertEquals(404, unknown.statusCode());
    assertEquals("model_not_found", unknown.code().orElse(""));
  }
}
