package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.await;
import static dev.llmproxy.testing.SseStep.data;
import static dev.llmproxy.testing.SseStep.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.UserMessageParam;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.AnthropicEventGrammar;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claude Code's API, served by chat-completions providers: the official Anthropic Java SDK pointed at the
 * gateway (as {@code ANTHROPIC_BASE_URL} points Claude Code at it), and the raw event grammar on the wire.
 */
class AnthropicMessagesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  @Order(1)
  static final FakeUpstream second = new FakeUpstream();

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
            - {name: deepseek-chat, alias: claude-sonnet-4-5, max-tokens: 8192}
            - {name: deepseek-chat, alias: pooled}
        - name: backup
          base-url: %s
          api-key-entries: [{api-key: sk-backup-upstream}]
          models:
            - {name: backup-model, alias: pooled}
      routing: {pool-strategy: ordered}
      """.formatted(upstream.baseUrl(), second.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private AnthropicClient sdk;

  @BeforeEach
  void newSdk() {
    upstream.reset();
    second.reset();
    sdk = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("team-key-1").maxRetries(0).build();
  }

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  private static String chunk(String delta) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"deepseek-chat\",\"choices\":[{\"index\":0,"
        + "\"delta\":" + delta + ",\"finish_reason\":null}]}";
  }

  private static String finish(String reason) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"deepseek-chat\",\"choices\":[{\"index\":0,"
        + "\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}";
  }

  private static final String USAGE = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"deepseek-chat\","
      + "\"choices\":[],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":30,\"total_tokens\":150,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":100}}}";

  private static MessageCreateParams.Builder params(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(32000).addUserMessage("What is the weather in Paris?");
  }

  @Test
  void aMessageIsAnsweredByAChatProviderWithTheModelAsAsked() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.json("{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"deepseek-chat\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Sunny.\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}"));
    Message message = sdk.messages().create(params("claude-sonnet-4-5").system("Be brief.").stopSequences(List.of("###"))
        .build());

    assertEquals("claude-sonnet-4-5", message.model().asString());
    assertEquals("Sunny.", message.content().get(0).asText().text());
    assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
    assertEquals(12, message.usage().inputTokens());
    assertEquals(3, message.usage().outputTokens());

    JsonNode sent = JSON.readTree(upstream.lastRequest().body());
    assertEquals("/v1/chat/completions", upstream.lastRequest().path());
    assertEquals("deepseek-chat", sent.get("model").asText());
    assertEquals(8192, sent.get("max_tokens").asInt(), "Claude Code's 32000 lowered to the model's max-tokens");
    assertEquals("system", sent.at("/messages/0/role").asText());
    assertEquals("###", sent.at("/stop/0").asText());
    assertEquals("Bearer sk-deepseek-upstream", upstream.lastRequest().header("Authorization"));
    assertEquals(null, upstream.lastRequest().header("anthropic-version"), "Anthropic headers never go upstream");
    assertEquals(null, upstream.lastRequest().header("x-api-key"));
  }

  @Test
  void aStreamedToolUseRoundTripWithArgumentsSplitOverChunks() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.sse(
        data(chunk("{\"role\":\"assistant\",\"content\":\"Let me check.\"}")),
        data(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"functions.get_weather:0\",\"type\":\"function\","
            + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"ci\"}}]}")),
        data(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\": \\\"Par\"}}]}")),
        data(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"is\\\"}\"}}]}")),
        data(finish("stop")), data(USAGE), done()));
    Tool weather = Tool.builder().name("get_weather").description("Weather for a city")
        .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
            .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build()).build())
        .build();
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(
        params("claude-sonnet-4-5").addTool(weather).build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Message message = accumulator.message();
    assertEquals(StopReason.TOOL_USE, message.stopReason().orElseThrow(), "tool_use even though text came first");
    assertEquals("Let me check.", message.content().get(0).asText().text());
    ToolUseBlock call = message.content().get(1).asToolUse();
    assertEquals("get_weather", call.name());
    assertTrue(call.id().matches("^[a-zA-Z0-9_-]+$"), call.id());
    assertEquals("Paris", JSON.valueToTree(call._input().convert(Map.class)).get("city").asText());
    assertEquals(20, message.usage().inputTokens(), "cached tokens are not counted twice");
    assertEquals(100, message.usage().cacheReadInputTokens().orElseThrow());
    JsonNode firstRequest = JSON.readTree(upstream.lastRequest().body());
    assertTrue(firstRequest.at("/stream_options/include_usage").asBoolean());
    assertEquals("get_weather", firstRequest.at("/tools/0/function/name").asText());

    // The client runs the tool and sends the result with a reminder text, as Claude Code does.
    upstream.respondWith(req -> UpstreamResponse.json("{\"id\":\"x\",\"object\":\"chat.completion\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"It is sunny in Paris.\"},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":7,\"total_tokens\":57}}"));
    Message answer = sdk.messages().create(params("claude-sonnet-4-5").addTool(weather).addMessage(message)
        .addMessage(UserMessageParam.builder().contentOfContentBlockParams(List.of(
            ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(call.id()).content("sunny, 21C").build()),
            ContentBlockParam.ofText("<system-reminder>keep going</system-reminder>"))).build())
        .build());
    assertEquals("It is sunny in Paris.", answer.content().get(0).asText().text());
    JsonNode sent = JSON.readTree(upstream.lastRequest().body()).get("messages");
    JsonNode assistant = sent.get(sent.size() - 3);
    assertEquals("assistant", assistant.get("role").asText());
    assertEquals("functions.get_weather:0", assistant.at("/tool_calls/0/id").asText(), "the upstream's own id again");
    assertEquals("tool", sent.get(sent.size() - 2).get("role").asText(), "the result right after its call");
    assertEquals("functions.get_weather:0", sent.get(sent.size() - 2).get("tool_call_id").asText());
    assertEquals("user", sent.get(sent.size() - 1).get("role").asText(), "the reminder after the results");
  }

  @Test
  void thinkingComesBeforeTheTextAndAsksForReasoning() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.sse(
        data(chunk("{\"role\":\"assistant\",\"reasoning_content\":\"Paris is in France.\"}")),
        data(chunk("{\"content\":\"Sunny\"}")), data(finish("stop")), done()));
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params("claude-sonnet-4-5")
        .thinking(ThinkingConfigEnabled.builder().budgetTokens(16_000).build()).build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    List<ContentBlock> content = accumulator.message().content();
    assertEquals("Paris is in France.", content.get(0).asThinking().thinking());
    assertEquals("Sunny", content.get(1).asText().text());
    assertEquals("high", JSON.readTree(upstream.lastRequest().body()).get("reasoning_effort").asText());
  }

  @Test
  void tokensAreCountedLocallyWithoutCallingTheUpstream() {
    long plain = sdk.messages().countTokens(MessageCountTokensParams.builder().model("claude-sonnet-4-5")
        .addUserMessage("What is the weather in Paris?").build()).inputTokens();
    long withSystem = sdk.messages().countTokens(MessageCountTokensParams.builder().model("claude-sonnet-4-5")
        .system("You are a meteorologist who answers in great detail.").addUserMessage("What is the weather in Paris?")
        .build()).inputTokens();
    assertTrue(plain > 0 && withSystem > plain, plain + " / " + withSystem);
    assertEquals(List.of(), upstream.requests(), "no upstream call");
    assertThrows(NotFoundException.class, () -> sdk.messages().countTokens(MessageCountTokensParams.builder()
        .model("no-such-model").addUserMessage("x").build()));
  }

  @Test
  void errorsUseAnthropicsEnvelopeWithTheStatusTheSdkExpects() throws Exception {
    NotFoundException unknown = assertThrows(NotFoundException.class, () -> sdk.messages().create(params("nope").build()));
    assertEquals("not_found_error", type(unknown));

    upstream.respondWith(req -> UpstreamResponse.rateLimited(Duration.ofSeconds(7)));
    RateLimitException limited = assertThrows(RateLimitException.class,
        () -> sdk.messages().create(params("claude-sonnet-4-5").build()));
    assertEquals("rate_limit_error", type(limited));
    assertEquals("7", limited.headers().values("retry-after").get(0));

    upstream.respondWith(req -> UpstreamResponse.error(500, "server_error", "boom"));
    InternalServerException failed = assertThrows(InternalServerException.class,
        () -> sdk.messages().create(params("claude-sonnet-4-5").build()));
    assertEquals("api_error", type(failed));

    upstream.respondWith(req -> UpstreamResponse.json(401, "{\"error\":{\"message\":\"bad key sk-deepseek-upstream\"}}"));
    AnthropicServiceException refused = assertThrows(AnthropicServiceException.class,
        () -> sdk.messages().create(params("claude-sonnet-4-5").build()));
    assertEquals(502, refused.statusCode(), "the provider refusing our key is not the client's own key failing");
    assertEquals("api_error", type(refused));
    assertTrue(refused.body().toString().contains("deepseek"), refused.body().toString());
    assertFalse(refused.body().toString().contains("sk-deepseek-upstream"));

    AnthropicClient wrongKey = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("wrong").maxRetries(0)
        .build();
    try {
      UnauthorizedException auth = assertThrows(UnauthorizedException.class,
          () -> wrongKey.messages().create(params("claude-sonnet-4-5").build()));
      assertEquals("authentication_error", type(auth));
    } finally {
      wrongKey.close();
    }
  }

  private static String type(AnthropicServiceException e) {
    return JSON.valueToTree(e.body().convert(Map.class)).at("/error/type").asText();
  }

  @Test
  void aPoolFailsOverBeforeTheFirstEvent() {
    upstream.respondWith(req -> UpstreamResponse.rateLimited(Duration.ofSeconds(30)));
    second.respondWith(req -> UpstreamResponse.sse(data(chunk("{\"role\":\"assistant\",\"content\":\"from backup\"}")),
        data(finish("stop")), done()));
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params("pooled").build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    assertEquals("from backup", accumulator.message().content().get(0).asText().text());
    assertEquals(1, upstream.requests().size());
    assertEquals("backup-model", second.lastRequest().model());
  }

  @Test
  void anAnswerWithoutChoicesFailsOverAndElseIsA502NotAnEmptyMessage() {
    upstream.respondWith(req -> UpstreamResponse.json("{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[]}"));
    second.respondWith(req -> UpstreamResponse.json("{\"id\":\"y\",\"object\":\"chat.completion\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"from backup\"},"
        + "\"finish_reason\":\"stop\"}]}"));
    assertEquals("from backup", sdk.messages().create(params("pooled").build()).content().get(0).asText().text());

    InternalServerException broken = assertThrows(InternalServerException.class,
        () -> sdk.messages().create(params("claude-sonnet-4-5").build()));
    assertEquals(502, broken.statusCode());
    assertEquals("api_error", type(broken));
  }

  @Test
  void anImageInAToolResultReachesTheUpstreamInAUserMessageAfterTheResults() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.json("{\"id\":\"x\",\"object\":\"chat.completion\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"A red square.\"},"
        + "\"finish_reason\":\"stop\"}]}"));
    // What Claude Code sends after its Read tool opened an image file, with a reminder next to the result.
    HttpResponse<String> r = new GatewayClient(gateway).post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\","
        + "\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"What is in red.png?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Read\","
        + "\"input\":{\"file_path\":\"red.png\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"see\"},{\"type\":\"image\",\"source\":{\"type\":\"base64\","
        + "\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]},"
        + "{\"type\":\"text\",\"text\":\"<system-reminder>x</system-reminder>\"}]}]}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("A red square.", JSON.readTree(r.body()).at("/content/0/text").asText());
    JsonNode sent = JSON.readTree(upstream.lastRequest().body()).get("messages");
    assertEquals(4, sent.size(), sent.toString());
    assertEquals("assistant", sent.at("/1/role").asText());
    assertEquals("tool", sent.at("/2/role").asText(), "the result right after its call");
    assertEquals("see", sent.at("/2/content").textValue(), "only text in a tool message");
    assertEquals("user", sent.at("/3/role").asText());
    assertEquals("data:image/png;base64,iVBORw0KGgo=", sent.at("/3/content/0/image_url/url").asText());
    assertEquals("<system-reminder>x</system-reminder>", sent.at("/3/content/1/text").asText());
  }

  @Test
  void aToolCallCutByTheTokenLimitStopsAtMaxTokensStreamedAndNot() throws Exception {
    String cutCall = "{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"Write\","
        + "\"arguments\":\"{\\\"content\\\": \\\"abc\"}}";
    upstream.respondWith(req -> UpstreamResponse.json("{\"id\":\"x\",\"object\":\"chat.completion\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
        + "\"tool_calls\":[" + cutCall + "]},\"finish_reason\":\"length\"}]}"));
    Message message = sdk.messages().create(params("claude-sonnet-4-5").build());
    assertEquals(StopReason.MAX_TOKENS, message.stopReason().orElseThrow(), "a cut call must not be run");
    assertEquals("Write", message.content().get(0).asToolUse().name());

    upstream.respondWith(req -> UpstreamResponse.sse(data(chunk("{\"tool_calls\":[" + cutCall + "]}")),
        data(finish("length")), done()));
    try (SseEvents events = SseEvents.of(rawStream(""))) {
      // Read as is, not through AnthropicEventGrammar: the cut input is not JSON, as Anthropic streams it too.
      List<dev.llmproxy.testing.SseEvent> all = events.remaining(Duration.ofSeconds(10));
      assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
          "message_delta", "message_stop"), all.stream().map(dev.llmproxy.testing.SseEvent::event).toList());
      assertEquals("{\"content\": \"abc", all.get(2).json().at("/delta/partial_json").asText());
      assertEquals("max_tokens", all.get(4).json().at("/delta/stop_reason").asText());
    }
  }

  // ---- the wire, as a client without an SDK reads it ----

  private HttpResponse<InputStream> rawStream(String query) {
    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/messages" + query))
        .header("x-api-key", "team-key-1").header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "claude-code-20250219").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
    return new GatewayClient(gateway).send(request, HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void theEventGrammarOnTheWireIsAnthropicsAndStreamsAsItComes() throws Exception {
    CountDownLatch upstreamMayGoOn = new CountDownLatch(1);
    upstream.respondWith(req -> UpstreamResponse.sse(data(chunk("{\"role\":\"assistant\",\"content\":\"Hel\"}")),
        await(upstreamMayGoOn), data(chunk("{\"content\":\"lo\"}")), data(finish("stop")), data(USAGE)));
    HttpResponse<InputStream> response = rawStream("?beta=true");
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse("").split(";")[0]);
    try (SseEvents events = SseEvents.of(response)) {
      assertEquals("message_start", events.next().event());
      assertTrue(events.next().event().equals("content_block_start"));
      assertEquals("Hel", events.next().json().at("/delta/text").asText());
      assertEquals(1, upstreamMayGoOn.getCount(), "the first text arrived while the upstream was still blocked");
      upstreamMayGoOn.countDown();
      List<dev.llmproxy.testing.SseEvent> rest = new java.util.ArrayList<>();
      rest.addAll(events.remaining(Duration.ofSeconds(10)));
      assertFalse(rest.stream().anyMatch(e -> "[DONE]".equals(e.data())), "no [DONE] for Anthropic clients");
      assertEquals("message_stop", rest.get(rest.size() - 1).event(), "complete without [DONE] from the upstream");
    } finally {
      upstreamMayGoOn.countDown();
    }
    JsonNode start;
    upstream.respondWith(req -> UpstreamResponse.sse(data(chunk("{\"content\":\"a\"}")), data(finish("length")), done()));
    try (SseEvents events = SseEvents.of(rawStream(""))) {
      AnthropicEventGrammar.Message message = AnthropicEventGrammar.check(events.remaining(Duration.ofSeconds(10)));
      start = message.start();
      assertEquals("max_tokens", message.stopReason());
    }
    assertTrue(start.at("/usage/input_tokens").asLong() > 0, "message_start carries an input estimate");
  }

  @Test
  void aFailureAfterTheFirstEventEndsWithAnErrorEventAndNoMessageStop() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.sse(data(chunk("{\"role\":\"assistant\",\"content\":\"Hal\"}")),
        data("{\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}")));
    try (SseEvents events = SseEvents.of(rawStream(""))) {
      AnthropicEventGrammar.Message message = AnthropicEventGrammar.check(events.remaining(Duration.ofSeconds(10)));
      assertEquals(null, message.stopReason());
      assertTrue(message.error() != null, "an error event ends the stream");
      assertEquals("model overloaded", message.error().get("message").asText());
    }
  }

  @Test
  void modelsAreListedInAnthropicsShapeForAnthropicClients() throws Exception {
    HttpResponse<String> r = new GatewayClient(gateway).send(HttpRequest.newBuilder(gateway.uri("/v1/models"))
        .header("x-api-key", "team-key-1").header("anthropic-version", "2023-06-01").GET().build());
    JsonNode list = JSON.readTree(r.body());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("model", list.at("/data/0/type").asText());
    assertFalse(list.get("has_more").asBoolean());
    assertEquals(list.at("/data/0/id").asText(), list.get("first_id").asText());
    assertTrue(list.at("/data/0/created_at").asText().endsWith("Z"));
  }

  @Test
  void aMissingKeyOnMessagesGetsAnthropicsEnvelope() throws Exception {
    HttpResponse<String> r = new GatewayClient(gateway, "").send(HttpRequest.newBuilder(gateway.uri("/v1/messages"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertEquals(401, r.statusCode());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("error", body.get("type").asText());
    assertEquals("authentication_error", body.at("/error/type").asText());
  }

  @Test
  void aBodyThatCannotBeTranslatedIsA400NamingTheField() throws Exception {
    HttpResponse<String> r = new GatewayClient(gateway).post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\","
        + "\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":"
        + "{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0=\"}}]}]}");
    assertEquals(400, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("invalid_request_error", body.at("/error/type").asText());
    assertTrue(body.at("/error/message").asText().contains("messages[0].content[0]"), r.body());
    assertEquals(List.of(), upstream.requests());
  }
}
