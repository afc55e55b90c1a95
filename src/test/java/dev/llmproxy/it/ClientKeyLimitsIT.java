package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.llmproxy.config.ClientKeyConfig;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.SseStep;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client keys as strings and objects side by side, and every limit and refusal of an object key, seen through the
 * official OpenAI Java SDK (and the Anthropic, Responses and Gemini envelopes): allowed models, rpm, tpm, monthly
 * tokens and cost, expiry, disabled; refusals come before any upstream call; a streaming request counts when it ends
 * and one already running when a limit is reached finishes.
 */
class ClientKeyLimitsIT {
  private static final String SECRET = "management-secret-for-limits";
  private static final String PLAIN = "plain-key-0000000001";
  private static final String OBJECT = "object-key-000000002";
  private static final String HASHED = "hashed-key-000000003";
  private static final String MODELS = "models-key-000000004";
  private static final String RPM = "rpm-key-000000000005";
  private static final String TPM = "tpm-key-000000000006";
  private static final String TOKENS = "tokens-key-000000007";
  private static final String COST = "cost-key-00000000008";
  private static final String EXPIRED = "expired-key-00000009";
  private static final String DISABLED = "disabled-key-0000010";
  private static final String STREAM = "stream-key-000000011";
  private static final String ANTHROPIC_RPM = "anthropic-key-000012";
  private static final String GEMINI_RPM = "gemini-key-00000013";
  private static final String STREAM_USAGE = "stream-usage-key-014";
  private static final String CUT = "cut-stream-key-00015";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys:
        - "%s"                       # a plain string, as in CLIProxyAPI
        - {key: "%s", name: object}
        - {key-sha256: "%s", name: hashed}
        - {key: "%s", name: models-only, models: ["chat-*"]}
        - {key: "%s", name: rpm, rpm: 2}
        - {key: "%s", name: tpm, tpm: 20}
        - {key: "%s", name: tokens, max-tokens-per-month: 20}
        - {key: "%s", name: cost, max-cost-per-month: 0.00003}
        - {key: "%s", name: expired, expires: 2020-01-01}
        - {key: "%s", name: disabled, disabled: true}
        - {key: "%s", name: stream, max-tokens-per-month: 20}
        - {key: "%s", name: anthropic, rpm: 1}
        - {key: "%s", name: gemini, rpm: 1}
        - {key: "%s", name: stream-usage, max-tokens-per-month: 1000}
        - {key: "%s", name: cut, max-tokens-per-month: 100000}
      remote-management:
        secret-key: "%s"
      openai-compatibility:
        - name: p
          base-url: %s
          api-key-entries: [{api-key: sk-upstream}]
          models:
            - {name: m1, alias: chat-a, price: {input: 1, output: 2}}
            - {name: m2, alias: chat-b, price: {input: 1, output: 2}}
            - {name: m3, alias: embed-x, price: {input: 0.1, output: 0}}
      """.formatted(PLAIN, OBJECT, ClientKeyConfig.sha256Hex(HASHED), MODELS, RPM, TPM, TOKENS, COST, EXPIRED,
      DISABLED, STREAM, ANTHROPIC_RPM, GEMINI_RPM, STREAM_USAGE, CUT, SECRET, upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final List<OpenAIClient> sdks = new ArrayList<>();

  @BeforeEach
  void resetUpstream() {
    upstream.reset();
  }

  @AfterEach
  void closeSdks() {
    sdks.forEach(OpenAIClient::close);
  }

  private OpenAIClient sdk(String key) {
    OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey(key).maxRetries(0)
        .build();
    sdks.add(sdk);
    return sdk;
  }

  private static void chat(OpenAIClient sdk, String model) {
    sdk.chat().completions().create(ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build());
  }

  @Test
  void stringsAndObjectsWorkSideBySideAndNameTheClientInUsage() throws Exception {
    for (String key : List.of(PLAIN, OBJECT, HASHED)) {
      {
      OpenAIClient sdk = sdk(key);
        chat(sdk, "chat-a");
      }
    }
    assertEquals(3, upstream.requests().size());
    assertTrue(upstream.requests().stream().allMatch(r -> "sk-upstream".equals(r.bearerToken())),
        "client keys never go upstream");
    JsonNode usage = management("GET", "usage", null);
    List<String> clients = new ArrayList<>();
    usage.get("clients").forEach(c -> clients.add(c.get("client").asText()));
    assertTrue(clients.containsAll(List.of("key plai...0001", "key object", "key hashed")), clients.toString());
    assertEquals(401, new GatewayClient(gateway, "hashed-key-wrong-0003").chat("chat-a").statusCode());
  }

  @Test
  void aKeyListsAndUsesOnlyItsModels() throws Exception {
    {
      OpenAIClient sdk = sdk(MODELS);
      assertEquals(List.of("chat-a", "chat-b"), sdk.models().list().data().stream().map(Model::id).toList());
      chat(sdk, "chat-b");
      PermissionDeniedException refused = assertThrows(PermissionDeniedException.class, () -> chat(sdk, "embed-x"));
      assertEquals(403, refused.statusCode());
      assertEquals("model_not_allowed", refused.code().orElseThrow());
      assertEquals("permission_error", refused.type().orElseThrow());
    }
    {
      OpenAIClient sdk = sdk(PLAIN);
      assertEquals(3, sdk.models().list().data().size(), "a plain key sees every model");
    }
    assertEquals(1, upstream.requests().size(), "the refused request never went upstream");
    HttpResponse<String> anthropicList = new GatewayClient(gateway, MODELS).send(HttpRequest.newBuilder(
        gateway.uri("/v1/models")).header("x-api-key", MODELS).header("anthropic-version", "2023-06-01").build());
    assertFalse(anthropicList.body().contains("embed-x"), anthropicList.body());
    HttpResponse<String> geminiList = new GatewayClient(gateway, MODELS).send(HttpRequest.newBuilder(
        gateway.uri("/v1beta/models")).header("x-goog-api-key", MODELS).build());
    assertEquals(200, geminiList.statusCode());
    assertTrue(geminiList.body().contains("models/chat-a") && !geminiList.body().contains("embed-x"),
        geminiList.body());
    assertEquals(404, new GatewayClient(gateway, MODELS).get("/v1/models/embed-x").statusCode());
  }

  @Test
  void rpmRefusesWithRetryAfterBeforeAnyUpstreamCall() {
    MinuteWindows.awaitRoomFor(Duration.ofSeconds(10));
    {
      OpenAIClient sdk = sdk(RPM);
      chat(sdk, "chat-a");
      chat(sdk, "chat-a");
      RateLimitException refused = assertThrows(RateLimitException.class, () -> chat(sdk, "chat-a"));
      assertRateLimited(refused);
      assertThrows(RateLimitException.class, () -> chat(sdk, "chat-a"), "a refused request does not count, but "
          + "the two admitted ones still do");
    }
    assertEquals(2, upstream.requests().size());
  }

  @Test
  void tpmCountsTheTokensUpstreamsReported() {
    MinuteWindows.awaitRoomFor(Duration.ofSeconds(10));
    {
      OpenAIClient sdk = sdk(TPM);
      chat(sdk, "chat-a"); // 12 tokens
      chat(sdk, "chat-a"); // 24: at the limit from now on
      assertRateLimited(assertThrows(RateLimitException.class, () -> chat(sdk, "chat-a")));
    }
    assertEquals(2, upstream.requests().size());
  }

  @Test
  void monthlyTokensAndCostRefuseWithInsufficientQuota() {
    for (String key : List.of(TOKENS, COST)) {
      {
      OpenAIClient sdk = sdk(key);
        chat(sdk, "chat-a"); // 12 tokens; 5 prompt at $1/M and 7 completion at $2/M: $0.000019
        chat(sdk, "chat-a"); // 24 tokens, $0.000038
        RateLimitException refused = assertThrows(RateLimitException.class, () -> chat(sdk, "chat-a"), key);
        assertEquals(429, refused.statusCode());
        assertEquals("insufficient_quota", refused.code().orElseThrow());
        assertEquals("insufficient_quota", refused.type().orElseThrow());
        assertTrue(refused.headers().values("Retry-After").isEmpty(), "waiting minutes does not help");
      }
    }
    assertEquals(4, upstream.requests().size());
  }

  @Test
  void expiredAndDisabledKeysAreInvalid() {
    for (String key : List.of(EXPIRED, DISABLED)) {
      {
      OpenAIClient sdk = sdk(key);
        UnauthorizedException refused = assertThrows(UnauthorizedException.class, () -> chat(sdk, "chat-a"));
        assertEquals("invalid_api_key", refused.code().orElseThrow());
        assertTrue(refused.getMessage().contains(key == EXPIRED ? "expired at 2020-01-01T00:00:00Z" : "disabled"),
            refused.getMessage());
      }
    }
    assertEquals(0, upstream.requests().size());
  }

  @Test
  void aStreamCountsWhenItEndsAndOneRunningWhenTheLimitIsReachedFinishes() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    String usageChunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m1\","
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":20,\"total_tokens\":25}}";
    upstream.respondWith(r -> r.isStream() ? UpstreamResponse.sse(SseStep.chunk("m1", "first"),
        SseStep.await(release), SseStep.chunk("m1", " second"), SseStep.finish("m1"), SseStep.data(usageChunk),
        SseStep.done()) : UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "ok")));
    GatewayClient client = new GatewayClient(gateway, STREAM);
    HttpResponse<InputStream> stream = client.stream("chat-a");
    assertEquals(200, stream.statusCode());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      assertTrue(readDataLine(lines).contains("first"), "the stream is running");
      assertEquals(200, client.chat("chat-a").statusCode()); // 12 tokens
      assertEquals(200, client.chat("chat-a").statusCode()); // 24: the limit is reached
      HttpResponse<String> refused = client.chat("chat-a");
      assertEquals(429, refused.statusCode());
      assertTrue(refused.body().contains("\"insufficient_quota\""), refused.body());
      assertEquals(24, monthTokensUsed("stream"), "the running stream has not counted yet");

      release.countDown();
      List<String> rest = new ArrayList<>();
      for (String line = readDataLine(lines); line != null; line = readDataLine(lines)) {
        rest.add(line);
      }
      assertEquals("data: [DONE]", rest.get(rest.size() - 1), "the running stream finished: " + rest);
      assertTrue(rest.stream().anyMatch(l -> l.contains(" second")), rest.toString());
    }
    awaitMonthTokensUsed("stream", 49);
  }

  @Test
  void aStreamWhoseClientDidNotAskForUsageIsCountedWithoutShowingIt() throws Exception {
    String usageChunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m1\","
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":20,\"total_tokens\":25}}";
    upstream.respondWith(r -> r.json().at("/stream_options/include_usage").asBoolean()
        ? UpstreamResponse.sse(SseStep.chunk("m1", "hi"), SseStep.finish("m1"), SseStep.data(usageChunk), SseStep.done())
        : UpstreamResponse.sse(SseStep.chunk("m1", "hi"), SseStep.finish("m1"), SseStep.done()));
    HttpResponse<InputStream> stream = new GatewayClient(gateway, STREAM_USAGE).stream("chat-a");
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      for (String line = readDataLine(reader); line != null; line = readDataLine(reader)) {
        lines.add(line);
      }
    }
    assertEquals(3, lines.size(), "two chunks and [DONE], not the usage the client did not ask for: " + lines);
    assertTrue(lines.stream().noneMatch(l -> l.contains("\"usage\"")), lines.toString());
    assertTrue(upstream.lastRequest().json().at("/stream_options/include_usage").asBoolean());
    awaitMonthTokensUsed("stream-usage", 25);
  }

  @Test
  void aStreamItsClientCutsBeforeItsUsageIsChargedAnEstimateNotNothing() throws Exception {
    CountDownLatch clientLeft = new CountDownLatch(1);
    upstream.respondWith(r -> UpstreamResponse.threeChunksThenMoreAfter(clientLeft));
    String body = "{\"model\":\"chat-a\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
        + "x".repeat(400) + "\"}]}";
    try (RawClient client = RawClient.connect(gateway.port())) {
      client.post(gateway.uri("/v1/chat/completions").getPath(), CUT, body);
      client.readUntil(" three", 1);
      client.abort(); // the client leaves before the usage the upstream would have sent last
    } finally {
      clientLeft.countDown();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    long used = monthTokensUsed("cut");
    while (used == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      used = monthTokensUsed("cut");
    }
    long prompt = body.length() / 4;
    assertTrue(used >= prompt + 3 && used <= prompt + 23, "a prompt token per four bytes of the request and one per "
        + "event relayed, " + (prompt + 3) + " or a few more: " + used);
  }

  @Test
  void anthropicClientsGetRefusalsInAnthropicsEnvelope() throws Exception {
    MinuteWindows.awaitRoomFor(Duration.ofSeconds(10));
    String body = "{\"model\":\"%s\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> notAllowed = anthropic(MODELS, body.formatted("embed-x"));
    assertEquals(403, notAllowed.statusCode());
    JsonNode error = JSON.readTree(notAllowed.body());
    assertEquals("error", error.get("type").asText());
    assertEquals("permission_error", error.at("/error/type").asText());
    assertTrue(error.at("/error/message").asText().contains("embed-x"), notAllowed.body());

    assertEquals(200, anthropic(ANTHROPIC_RPM, body.formatted("chat-a")).statusCode());
    HttpResponse<String> limited = anthropic(ANTHROPIC_RPM, body.formatted("chat-a"));
    assertEquals(429, limited.statusCode());
    assertEquals("rate_limit_error", JSON.readTree(limited.body()).at("/error/type").asText());
    assertRetryAfter(limited.headers().firstValue("Retry-After").orElseThrow());

    HttpResponse<String> responses = new GatewayClient(gateway, MODELS).post("/v1/responses",
        "{\"model\":\"embed-x\",\"input\":\"hi\"}");
    assertEquals(403, responses.statusCode());
    assertEquals("model_not_allowed", JSON.readTree(responses.body()).at("/error/code").asText());
  }

  @Test
  void geminiClientsGetRefusalsInGooglesEnvelope() throws Exception {
    MinuteWindows.awaitRoomFor(Duration.ofSeconds(10));
    String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
    HttpResponse<String> notAllowed = gemini(MODELS, "embed-x", body);
    assertEquals(403, notAllowed.statusCode());
    JsonNode error = JSON.readTree(notAllowed.body()).get("error");
    assertEquals(403, error.get("code").asInt());
    assertEquals("PERMISSION_DENIED", error.get("status").asText());

    assertEquals(200, gemini(GEMINI_RPM, "chat-a", body).statusCode());
    HttpResponse<String> limited = gemini(GEMINI_RPM, "chat-a", body);
    assertEquals(429, limited.statusCode());
    assertEquals("RESOURCE_EXHAUSTED", JSON.readTree(limited.body()).at("/error/status").asText());
    assertRetryAfter(limited.headers().firstValue("Retry-After").orElseThrow());
  }

  private static void assertRateLimited(OpenAIServiceException refused) {
    assertEquals(429, refused.statusCode());
    assertEquals("rate_limit_exceeded", refused.code().orElseThrow());
    assertRetryAfter(refused.headers().values("Retry-After").get(0));
  }

  /** Until the minute is over: never more than 60 seconds, never less than 1. */
  private static void assertRetryAfter(String value) {
    int seconds = Integer.parseInt(value);
    assertTrue(seconds >= 1 && seconds <= 60, value);
  }

  private static HttpResponse<String> anthropic(String key, String body) {
    return new GatewayClient(gateway, key).send(HttpRequest.newBuilder(gateway.uri("/v1/messages"))
        .header("x-api-key", key).header("anthropic-version", "2023-06-01").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static HttpResponse<String> gemini(String key, String model, String body) {
    return new GatewayClient(gateway, key).send(HttpRequest.newBuilder(
        gateway.uri("/v1beta/models/" + model + ":generateContent")).header("x-goog-api-key", key)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static String readDataLine(BufferedReader lines) throws IOException {
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.startsWith("data:")) {
        return line;
      }
    }
    return null;
  }

  private static long monthTokensUsed(String name) throws IOException {
    for (JsonNode row : management("GET", "api-keys", null).get("usage")) {
      if (name.equals(row.path("name").asText())) {
        return row.at("/max-tokens-per-month/used").asLong();
      }
    }
    throw new AssertionError("no usage row for " + name);
  }

  /** The usage record of a stream is counted when its response completes, just after the client read the end. */
  private static void awaitMonthTokensUsed(String name, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    long used = monthTokensUsed(name);
    while (used != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
      used = monthTokensUsed(name);
    }
    assertEquals(expected, used);
  }

  private static JsonNode management(String method, String path, String body) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/v0/management/" + path))
        .header("Authorization", "Bearer " + SECRET).timeout(Duration.ofSeconds(20));
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = new GatewayClient(gateway).send(request.build());
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }
}
