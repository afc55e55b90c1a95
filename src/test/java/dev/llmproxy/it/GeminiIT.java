package dev.llmproxy.it;

import static dev.llmproxy.testing.OpenAiBodies.chatCompletionChunk;
import static dev.llmproxy.testing.OpenAiBodies.deltaChunk;
import static dev.llmproxy.testing.OpenAiBodies.toolCallChunk;
import static dev.llmproxy.testing.OpenAiBodies.usageChunk;
import static dev.llmproxy.testing.SseStep.await;
import static dev.llmproxy.testing.SseStep.data;
import static dev.llmproxy.testing.SseStep.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.types.Content;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Model;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.Tool;
import com.google.genai.types.Type;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.GeminiStreamGrammar;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Gemini CLI's API, served by chat-completions providers: Google's {@code google-genai} SDK with its base
 * URL pointed at the gateway (as {@code GOOGLE_GEMINI_BASE_URL} points Gemini CLI at it), and the raw
 * forms the SDK does not use (the streamed JSON array, the key in the query, a missing key).
 */
class GeminiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "deepseek-chat";

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      disable-cooling: true
      openai-compatibility:
        - name: deepseek
          base-url: %s
          api-key-entries: [{api-key: sk-deepseek-upstream}]
          models:
            - {name: deepseek-chat, alias: gemini-2.5-pro}
            - {name: deepseek-chat, alias: gemini-2.5-flash}
      """.formatted(upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private Client sdk;

  @BeforeEach
  void newSdk() {
    upstream.reset();
    sdk = client("team-key-1");
  }

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  /**
   * The SDK as an application would configure it for the gateway, at {@code v1beta}, the version Gemini CLI (the
   * JavaScript SDK) calls. google-genai for Java 2.x calls {@code /v1/models/...} unless told otherwise, which the
   * gateway serves too ({@link #theSdksDefaultApiVersionIsServedToo}).
   */
  private static Client client(String key) {
    return Client.builder().apiKey(key).httpOptions(HttpOptions.builder().baseUrl(gateway.baseUrl())
        .apiVersion("v1beta").retryOptions(HttpRetryOptions.builder().attempts(1).build()).build()).build();
  }

  @Test
  void theSdksDefaultApiVersionIsServedToo() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.json("{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\""
        + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Sunny.\"},"
        + "\"finish_reason\":\"stop\"}]}"));
    try (Client v1 = Client.builder().apiKey("team-key-1").httpOptions(HttpOptions.builder()
        .baseUrl(gateway.baseUrl()).retryOptions(HttpRetryOptions.builder().attempts(1).build()).build()).build()) {
      assertEquals("Sunny.", v1.models.generateContent("gemini-2.5-pro", "What is the weather?", null).text());
      assertTrue(v1.models.list(null).page().stream().anyMatch(m -> m.name().orElse("").endsWith("gemini-2.5-pro")),
          "the model list in Gemini's shape under /v1 too");
    }
  }

  @Test
  void generateContentIsAnsweredByAChatProvider() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.json("{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\""
        + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Sunny.\","
        + "\"reasoning_content\":\"Paris is in France.\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":30,\"total_tokens\":150,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":100},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":10}}}"));
    GenerateContentResponse response = sdk.models.generateContent("gemini-2.5-pro", "What is the weather in Paris?",
        GenerateContentConfig.builder().systemInstruction(Content.fromParts(Part.fromText("Be brief.")))
            .temperature(0.2f).maxOutputTokens(512).build());

    assertEquals("Sunny.", response.text(), "thought parts are not text");
    List<Part> parts = response.candidates().orElseThrow().get(0).content().orElseThrow().parts().orElseThrow();
    assertTrue(parts.get(0).thought().orElse(false), "the reasoning as a thought part");
    assertEquals("Paris is in France.", parts.get(0).text().orElseThrow());
    assertEquals("STOP", response.finishReason().toString());
    GenerateContentResponseUsageMetadata usage = response.usageMetadata().orElseThrow();
    assertEquals(120, usage.promptTokenCount().orElseThrow());
    assertEquals(100, usage.cachedContentTokenCount().orElseThrow());
    assertEquals(150, usage.totalTokenCount().orElseThrow());
    assertEquals(10, usage.thoughtsTokenCount().orElseThrow());

    RecordedRequest sent = upstream.lastRequest();
    assertEquals("/v1/chat/completions", sent.path());
    assertEquals(MODEL, sent.model());
    assertEquals("system", sent.json().at("/messages/0/role").asText());
    assertEquals("Be brief.", sent.json().at("/messages/0/content").asText());
    assertEquals("What is the weather in Paris?", sent.json().at("/messages/1/content").asText());
    assertEquals(512, sent.json().get("max_tokens").asInt());
    assertEquals(0.2, sent.json().get("temperature").asDouble(), 1e-6);
    assertEquals("Bearer sk-deepseek-upstream", sent.header("Authorization"));
    assertEquals(null, sent.header("x-goog-api-key"), "the client's key never goes upstream");
  }

  @Test
  void generateContentStreamDeliversDeltasInOrderAndUsageAtTheEnd() {
    upstream.respondWith(req -> UpstreamResponse.sse(
        data(deltaChunk(MODEL, "{\"role\":\"assistant\",\"content\":\"Hel\"}")),
        data(deltaChunk(MODEL, "{\"content\":\"lo\"}")),
        data(chatCompletionChunk(MODEL, " world", "stop")), // the finish chunk carries the last delta
        data(usageChunk(MODEL, 12, 3, 0, 0)), done()));
    List<String> deltas = new ArrayList<>();
    List<GenerateContentResponse> all = new ArrayList<>();
    try (ResponseStream<GenerateContentResponse> stream = sdk.models.generateContentStream("gemini-2.5-flash",
        "Say hello", null)) {
      for (GenerateContentResponse response : stream) {
        all.add(response);
        String text = response.text();
        if (text != null && !text.isEmpty()) {
          deltas.add(text);
        }
      }
    }
    assertEquals(List.of("Hel", "lo", " world"), deltas);
    GenerateContentResponse last = all.get(all.size() - 1);
    assertEquals("STOP", last.finishReason().toString());
    assertEquals(12, last.usageMetadata().orElseThrow().promptTokenCount().orElseThrow());
    assertEquals(3, last.usageMetadata().orElseThrow().candidatesTokenCount().orElseThrow());
    assertTrue(all.subList(0, all.size() - 1).stream().allMatch(r -> r.usageMetadata().isEmpty()),
        "usageMetadata only at the end");
    JsonNode sent = upstream.lastRequest().json();
    assertTrue(sent.get("stream").asBoolean());
    assertTrue(sent.at("/stream_options/include_usage").asBoolean());
    assertEquals("/v1/chat/completions", upstream.lastRequest().path());
  }

  private static final Tool TOOLS = Tool.builder().functionDeclarations(
      FunctionDeclaration.builder().name("get_weather").description("Weather for a city")
          .parameters(Schema.builder().type(Type.Known.OBJECT)
              .properties(Map.of("city", Schema.builder().type(Type.Known.STRING).build())).required("city")),
      FunctionDeclaration.builder().name("get_time").description("Local time of a city")
          .parameters(Schema.builder().type(Type.Known.OBJECT)
              .properties(Map.of("city", Schema.builder().type(Type.Known.STRING).build())))).build();

  @Test
  void functionCallsComeBackInUpstreamOrderAndTheirResponsesBecomeToolMessages() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.sse(
        data(deltaChunk(MODEL, "{\"role\":\"assistant\",\"content\":null}")),
        data(toolCallChunk(MODEL, 0, "call_w", "get_weather", "{\"ci")),
        data(toolCallChunk(MODEL, 0, null, null, "ty\": \"Paris\"}")),
        data(toolCallChunk(MODEL, 1, "call_t", "get_time", "{\"city\"")),
        data(toolCallChunk(MODEL, 1, null, null, ": \"Tokyo\"}")),
        data(chatCompletionChunk(MODEL, null, "tool_calls")), data(usageChunk(MODEL, 80, 20, 0, 0)), done()));
    GenerateContentConfig config = GenerateContentConfig.builder().tools(TOOLS).build();
    List<FunctionCall> calls = new ArrayList<>();
    try (ResponseStream<GenerateContentResponse> stream = sdk.models.generateContentStream("gemini-2.5-pro",
        "Weather in Paris and time in Tokyo?", config)) {
      for (GenerateContentResponse response : stream) {
        List<FunctionCall> some = response.functionCalls();
        if (some != null) {
          calls.addAll(some);
        }
      }
    }
    assertEquals(List.of("get_weather", "get_time"), calls.stream().map(c -> c.name().orElseThrow()).toList(),
        "in upstream order");
    assertEquals(Map.of("city", "Paris"), calls.get(0).args().orElseThrow(), "complete arguments");
    assertEquals(Map.of("city", "Tokyo"), calls.get(1).args().orElseThrow());
    JsonNode tools = upstream.lastRequest().json().get("tools");
    assertEquals("get_weather", tools.at("/0/function/name").asText());
    assertEquals("object", tools.at("/0/function/parameters/type").asText(), "Gemini's types as JSON Schema's");
    assertEquals("string", tools.at("/0/function/parameters/properties/city/type").asText());

    // The client runs both and answers in the other order, each response with its call's id, as Gemini CLI does.
    upstream.respondWith(req -> UpstreamResponse.json(OpenAiBodies.chatCompletion(MODEL, "Sunny; it is 9 pm.")));
    List<Content> history = new ArrayList<>();
    history.add(Content.builder().role("user").parts(Part.fromText("Weather in Paris and time in Tokyo?")).build());
    history.add(Content.builder().role("model").parts(calls.stream().map(c -> Part.builder().functionCall(c).build())
        .toList()).build());
    history.add(Content.builder().role("user").parts(
        functionResponse(calls.get(1), Map.of("output", "21:00")),
        functionResponse(calls.get(0), Map.of("output", "sunny, 21C"))).build());
    GenerateContentResponse answer = sdk.models.generateContent("gemini-2.5-pro", history, config);
    assertEquals("Sunny; it is 9 pm.", answer.text());

    JsonNode messages = upstream.lastRequest().json().get("messages");
    assertEquals(List.of("user", "assistant", "tool", "tool"), upstream.lastRequest().messageRoles());
    JsonNode assistant = messages.get(1);
    assertEquals("call_w", assistant.at("/tool_calls/0/id").asText());
    assertEquals("get_weather", assistant.at("/tool_calls/0/function/name").asText());
    assertEquals("Paris",
        JSON.readTree(assistant.at("/tool_calls/0/function/arguments").asText()).get("city").asText());
    assertEquals("call_t", assistant.at("/tool_calls/1/id").asText());
    Map<String, String> outputs = Map.of(messages.get(2).get("tool_call_id").asText(), messages.get(2).get("content")
        .asText(), messages.get(3).get("tool_call_id").asText(), messages.get(3).get("content").asText());
    assertEquals(Map.of("call_w", "sunny, 21C", "call_t", "21:00"), outputs, "each response matched to its call");
  }

  private static Part functionResponse(FunctionCall call, Map<String, Object> response) {
    FunctionResponse.Builder builder = FunctionResponse.builder().name(call.name().orElseThrow()).response(response);
    call.id().ifPresent(builder::id);
    return Part.builder().functionResponse(builder.build()).build();
  }

  @Test
  void countTokensAnswersLocallyAndGrowsWithWhatTheModelReads() throws Exception {
    CountTokensResponse shortCount = sdk.models.countTokens("gemini-2.5-pro", "What is the weather?", null);
    CountTokensResponse longCount = sdk.models.countTokens("gemini-2.5-pro",
        "What is the weather in Paris, in Lyon and in Marseille this weekend?", null);
    int plain = shortCount.totalTokens().orElseThrow();
    assertTrue(plain > 0 && longCount.totalTokens().orElseThrow() > plain, plain + " / " + longCount);

    // The SDK refuses systemInstruction and tools in the Gemini API's countTokens; Gemini's
    // generateContentRequest form carries them.
    String contents = "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"What is the weather?\"}]}]";
    int withSystem = countRaw("{\"generateContentRequest\":{\"model\":\"models/gemini-2.5-pro\"," + contents
        + ",\"systemInstruction\":{\"parts\":[{\"text\":\"You are a meteorologist who answers in detail.\"}]}}}");
    int withTools = countRaw("{\"generateContentRequest\":{\"model\":\"models/gemini-2.5-pro\"," + contents
        + ",\"systemInstruction\":{\"parts\":[{\"text\":\"You are a meteorologist who answers in detail.\"}]},"
        + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"description\":\"Weather for a city\","
        + "\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"}}}}]}]}}");
    assertTrue(withSystem > plain && withTools > withSystem, plain + " / " + withSystem + " / " + withTools);
    assertEquals(List.of(), upstream.requests(), "no upstream call");
  }

  private int countRaw(String body) throws IOException {
    HttpResponse<String> r = gemini().post("/v1beta/models/gemini-2.5-pro:countTokens", body);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).get("totalTokens").asInt();
  }

  /** A raw client sending the key as Gemini CLI does, in {@code x-goog-api-key}. */
  private static GeminiHttp gemini() {
    return new GeminiHttp();
  }

  /** Raw requests to the Gemini paths. */
  private static final class GeminiHttp {
    private final GatewayClient http = new GatewayClient(gateway);

    HttpRequest.Builder request(String pathAndQuery) {
      return HttpRequest.newBuilder(gateway.uri(pathAndQuery)).timeout(Duration.ofSeconds(20))
          .header("x-goog-api-key", "team-key-1").header("content-type", "application/json");
    }

    HttpResponse<String> post(String path, String body) {
      return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
  }

  @Test
  void theJsonArrayStreamSendsEachElementAsItComes() throws Exception {
    CountDownLatch upstreamMayGoOn = new CountDownLatch(1);
    upstream.respondWith(req -> UpstreamResponse.sse(
        data(deltaChunk(MODEL, "{\"role\":\"assistant\",\"content\":\"Hel\"}")), await(upstreamMayGoOn),
        data(deltaChunk(MODEL, "{\"content\":\"lo\"}")), data(chatCompletionChunk(MODEL, null, "stop")),
        data(usageChunk(MODEL, 12, 2, 0, 0)), done()));
    HttpResponse<InputStream> response = new GatewayClient(gateway).send(gemini()
        .request("/v1beta/models/gemini-2.5-pro:streamGenerateContent")
        .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("content-type").orElse("").split(";")[0]);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ExecutorService reader = Executors.newSingleThreadExecutor();
    List<JsonNode> elements = new ArrayList<>();
    try (InputStream body = new Tee(response.body(), wire); JsonParser parser = JSON.getFactory().createParser(body)) {
      JsonNode first = reader.submit(() -> {
        assertEquals(JsonToken.START_ARRAY, parser.nextToken());
        assertEquals(JsonToken.START_OBJECT, parser.nextToken());
        return (JsonNode) parser.readValueAsTree();
      }).get(10, TimeUnit.SECONDS);
      assertEquals("Hel", first.at("/candidates/0/content/parts/0/text").asText());
      assertEquals(1, upstreamMayGoOn.getCount(), "the first element arrived while the upstream was still blocked");
      elements.add(first);
      upstreamMayGoOn.countDown();
      elements.addAll(reader.submit(() -> {
        List<JsonNode> rest = new ArrayList<>();
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          rest.add(parser.readValueAsTree());
        }
        assertEquals(null, parser.nextToken(), "nothing after the array");
        return rest;
      }).get(10, TimeUnit.SECONDS));
    } finally {
      upstreamMayGoOn.countDown();
      reader.shutdownNow();
    }
    GeminiStreamGrammar.Outcome outcome = GeminiStreamGrammar.check(elements);
    assertEquals("Hello", outcome.text());
    assertEquals("STOP", outcome.finishReason());
    assertEquals(14, outcome.usageMetadata().get("totalTokenCount").asInt());
    JsonNode whole = JSON.readTree(wire.toByteArray());
    assertTrue(whole.isArray(), "the whole body is one JSON array");
    assertEquals(elements.size(), whole.size());
  }

  /** Copies what is read from a stream, so a test can parse the whole body after reading it piece by piece. */
  private static final class Tee extends FilterInputStream {
    private final ByteArrayOutputStream copy;

    Tee(InputStream in, ByteArrayOutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        copy.write(buffer, offset, n);
      }
      return n;
    }
  }

  @Test
  void modelsAreListedInGeminisShape() {
    List<String> names = new ArrayList<>();
    for (Model model : sdk.models.list(null)) {
      names.add(model.name().orElseThrow());
      assertTrue(model.supportedActions().orElseThrow().contains("generateContent"), model.toString());
    }
    assertEquals(List.of("models/gemini-2.5-flash", "models/gemini-2.5-pro"), names.stream().sorted().toList());
    assertEquals("models/gemini-2.5-pro", sdk.models.get("gemini-2.5-pro", null).name().orElseThrow());
  }

  @Test
  void errorsUseGooglesEnvelope() {
    ApiException unknown = assertThrows(ApiException.class,
        () -> sdk.models.generateContent("gemini-0-nonexistent", "hi", null));
    assertEquals(404, unknown.code());
    assertEquals("NOT_FOUND", unknown.status());
    assertEquals(List.of(), upstream.requests());

    upstream.respondWith(req -> UpstreamResponse.rateLimited(Duration.ofSeconds(7)));
    ApiException limited = assertThrows(ApiException.class,
        () -> sdk.models.generateContent("gemini-2.5-pro", "hi", null));
    assertEquals(429, limited.code());
    assertEquals("RESOURCE_EXHAUSTED", limited.status());

    try (Client wrongKey = client("wrong-key")) {
      ApiException refused = assertThrows(ApiException.class,
          () -> wrongKey.models.generateContent("gemini-2.5-pro", "hi", null));
      assertEquals(401, refused.code());
      assertEquals("UNAUTHENTICATED", refused.status());
    }
  }

  @Test
  void aMissingKeyIsUnauthenticatedInGooglesEnvelope() throws Exception {
    HttpResponse<String> r = new GatewayClient(gateway).send(HttpRequest.newBuilder(
            gateway.uri("/v1beta/models/gemini-2.5-pro:generateContent")).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}")).build());
    assertEquals(401, r.statusCode(), r.body());
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertEquals(401, error.get("code").asInt());
    assertEquals("UNAUTHENTICATED", error.get("status").asText());
    assertTrue(error.get("message").asText().contains("x-goog-api-key"), "the ways Gemini clients send a key");
    assertTrue(error.get("message").asText().contains("?key="), error.get("message").asText());
    assertEquals(List.of(), upstream.requests());
  }

  @Test
  void contentsWithNothingToSendAreA400NamingThePartAndNeverForwarded() throws Exception {
    HttpResponse<String> empty = gemini().post("/v1beta/models/gemini-2.5-pro:generateContent",
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{}]}]}");
    assertEquals(400, empty.statusCode(), empty.body());
    JsonNode error = JSON.readTree(empty.body()).get("error");
    assertEquals("INVALID_ARGUMENT", error.get("status").asText());
    assertTrue(error.get("message").asText().contains("'contents[0].parts[0]' has no data"), error.toString());

    HttpResponse<String> onlyThoughts = gemini().post("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hmm\",\"thought\":true}]}]}");
    assertEquals(400, onlyThoughts.statusCode(), onlyThoughts.body());
    assertEquals("INVALID_ARGUMENT", JSON.readTree(onlyThoughts.body()).at("/error/status").asText());

    HttpResponse<String> hot = gemini().post("/v1beta/models/gemini-2.5-pro:generateContent",
        "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":{\"temperature\":\"hot\"}}");
    assertEquals(400, hot.statusCode(), hot.body());
    assertTrue(JSON.readTree(hot.body()).at("/error/message").asText().contains("generationConfig.temperature"));
    assertEquals(List.of(), upstream.requests(), "nothing was sent upstream");
  }

  @Test
  void theKeyMayComeInTheQuery() throws Exception {
    upstream.respondWith(req -> UpstreamResponse.json(OpenAiBodies.chatCompletion(MODEL, "Hi there.")));
    HttpResponse<String> r = new GatewayClient(gateway).send(HttpRequest.newBuilder(
            gateway.uri("/v1beta/models/gemini-2.5-pro:generateContent?key=team-key-1"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"))
        .build());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("Hi there.", JSON.readTree(r.body()).at("/candidates/0/content/parts/0/text").asText());
    RecordedRequest sent = upstream.lastRequest();
    assertFalse(sent.path().contains("key="), "the client's key never goes upstream: " + sent.path());
    assertEquals("Bearer sk-deepseek-upstream", sent.header("Authorization"));
  }
}
