package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.LogCapture;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.ProcessFootprint;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.SseStep;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a client key holder can do to the gateway on purpose or by mistake: never read, send JSON built to
 * hurt a parser, send two models. And what an upstream can do that must not reach clients: echo the
 * operator's key, compress unasked, vanish from DNS.
 */
class HostileClientIT {
  private static final String UPSTREAM_KEY = "sk-upstreamA-SECRET-0123456789";
  private static final String EXCHANGE = "dev.llmproxy.relay.ProxyExchange";

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      max-request-body: 64MiB
      openai-compatibility:
        - name: acme
          disable-cooling: true   # every test starts with the key usable
          base-url: %s
          api-key-entries: [{api-key: %s}]
          models: [{name: up-model, alias: m}]
        - name: nowhere
          base-url: http://no-such-host.invalid/v1
          api-key-entries: [{api-key: sk-nowhere-0000000000}]
          models: [{name: x, alias: unreachable}]
      """.formatted(upstream.baseUrl(), UPSTREAM_KEY));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  @Test
  void clientsThatNeverReadHoldAtMostTheDocumentedBoundEachWhateverTheUpstreamSends() throws Exception {
    // 320 MB per stream, as fast as the upstream can write it.
    upstream.respondWith(req -> UpstreamResponse.pacedStream(req.model(), 20_000, Duration.ZERO, 16_000));
    long before = ProcessFootprint.usedHeapAfterGc();
    List<RawClient> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        RawClient c = RawClient.connect(gateway.port(), 4096);
        c.post("/v1/chat/completions", GatewayClient.CLIENT_KEY, "{\"model\":\"m\",\"stream\":true}");
        stalled.add(c);
      }
      Thread.sleep(3000);
      long grown = ProcessFootprint.usedHeapAfterGc() - before;
      // Per stream: the writer's hard limit (4 MiB once a response proved bulk) and HttpClient's buffers.
      assertTrue(grown < 5L * 8 * 1024 * 1024, "5 stalled streams grew the heap by " + (grown >> 20) + " MiB");
    } finally {
      for (RawClient c : stalled) {
        c.abort();
      }
    }
    upstream.awaitCancelledStreams(5, Duration.ofSeconds(10));
  }

  @Test
  void clientsGoneBeforeTheirWholeAnswerArrivesLeaveNoExchangeBehind() throws Exception {
    long before = liveExchanges();
    // The gateway's first write to the departed client fails while the same upstream read ends the answer;
    // which of the two it handles first varies (ProxyExchangeTest has the order that leaked), so thirty times.
    for (int i = 1; i <= 30; i++) {
      CountDownLatch clientGone = new CountDownLatch(1);
      upstream.respondWith(req -> UpstreamResponse.sse(SseStep.await(clientGone),
          SseStep.send("data: " + OpenAiBodies.chatCompletionChunk(req.model(), "too late", null) + "\n\ndata: "
              + OpenAiBodies.chatCompletionChunk(req.model(), null, "stop") + "\n\ndata: [DONE]\n\n")));
      try (RawClient c = RawClient.connect(gateway.port())) {
        c.post("/v1/chat/completions", GatewayClient.CLIENT_KEY, "{\"model\":\"m\",\"stream\":true}");
        upstream.awaitRequests(i, Duration.ofSeconds(10));
        c.abort();
      }
      clientGone.countDown();
      upstream.awaitCompletedStreams(i, Duration.ofSeconds(10));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long live = liveExchanges();
    while (live > before && System.nanoTime() - deadline < 0) {
      Thread.sleep(200);
      live = liveExchanges();
    }
    assertTrue(live <= before, "exchanges still reachable after their clients left: " + live + ", before " + before);
  }

  private static long liveExchanges() {
    return ProcessFootprint.liveInstances(List.of(EXCHANGE)).get(EXCHANGE);
  }

  @Test
  void jsonBuiltToHurtAParserGetsAClear400AtOnceAndNeverReachesTheUpstream() {
    Map<String, String> bodies = Map.of(
        "deep", "{\"model\":\"m\",\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}",
        "long key", "{\"model\":\"m\",\"" + "k".repeat(60_000) + "\":1}",
        "long number", "{\"model\":\"m\",\"n\":" + "9".repeat(5000) + "}",
        "long model", "{\"model\":\"" + "m".repeat(21_000_000) + "\"}",
        "two models", "{\"model\":\"m\",\"mod\\u0065l\":\"other\"}");
    bodies.forEach((what, json) -> {
      long start = System.nanoTime();
      HttpResponse<String> r = client.post("/v1/chat/completions", json);
      assertEquals(400, r.statusCode(), what + ": " + r.body());
      assertTrue(r.body().contains("\"type\":\"invalid_request_error\""), what + ": " + r.body());
      assertTrue(r.body().length() < 1000, what + ": the error does not echo the input");
      assertTrue(System.nanoTime() - start < 20_000_000_000L, what + " took too long");
    });
    assertEquals(List.of(), upstream.requests(), "nothing reached the upstream");
  }

  @Test
  void anUpstreamThatEchoesTheOperatorsKeyNeverShowsItToTheClient() {
    upstream.respondWith(req -> UpstreamResponse.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: "
        + UPSTREAM_KEY + ".\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
    HttpResponse<String> r = client.chat("m");
    assertEquals(502, r.statusCode(), "an upstream's refusal is not the client's 401: " + r.body());
    assertFalse(r.body().contains("SECRET"), r.body());
    assertTrue(r.body().contains("Upstream provider 'acme' refused the gateway's credentials (HTTP 401)."), r.body());
    assertTrue(r.body().contains("\"code\":\"upstream_auth_failed\""), r.body());
  }

  @Test
  void anUpstreamThatEchoesTheOperatorsKeyInCodeAndParamLeavesThemNull() {
    upstream.respondWith(req -> UpstreamResponse.json(400, "{\"error\":{\"message\":\"bad\","
        + "\"type\":\"invalid_request_error\",\"code\":\"" + UPSTREAM_KEY + "\",\"param\":\"" + UPSTREAM_KEY + "\"}}"));
    HttpResponse<String> r = client.chat("m");
    assertEquals(400, r.statusCode(), r.body());
    assertFalse(r.body().contains("SECRET"), r.body());
    assertTrue(r.body().contains("\"message\":\"bad\""), r.body());
    assertTrue(r.body().contains("\"code\":null") && r.body().contains("\"param\":null"),
        "OpenAI's shape, with nothing where the key was: " + r.body());
  }

  @Test
  void aCompressedAnswerIsAnUpstreamFailureNeverBinaryLabelledJson() {
    upstream.respondWith(req -> new UpstreamResponse.Fixed(200,
        Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"), new byte[] {31, -117, 8, 0, 1, 2}));
    HttpResponse<String> r = client.chat("m");
    assertEquals(502, r.statusCode(), r.body());
    assertTrue(r.body().contains("Content-Encoding 'gzip'"), r.body());
    assertEquals("identity", upstream.lastRequest().header("Accept-Encoding"), "the gateway asked for none");
  }

  @Test
  void anErrorObjectOrNothingUnder2xxIsABrokenAnswerInEveryDialectNeverAnEmptySuccess() {
    String responses = "{\"model\":\"m\",\"input\":\"hi\"}";
    String gemini = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
    upstream.respondWith(req -> UpstreamResponse.json(200, "{\"error\":{\"message\":\"overloaded\"}}"));
    HttpResponse<String> r = client.post("/v1/responses", responses);
    assertEquals(502, r.statusCode(), r.body());
    r = client.post("/v1beta/models/m:generateContent", gemini);
    assertEquals(502, r.statusCode(), r.body());
    r = client.chat("m");
    assertEquals(502, r.statusCode(), "a chat client too gets no 200 carrying an error: " + r.body());

    upstream.respondWith(req -> new UpstreamResponse.Fixed(200, Map.of("Content-Type", "application/json"),
        new byte[0]));
    r = client.chat("m");
    assertEquals(502, r.statusCode(), r.body());
    assertTrue(r.body().contains("the upstream answer is empty"), r.body());

    upstream.respondWith(req -> new UpstreamResponse.Fixed(204, Map.of(), new byte[0]));
    r = client.chat("m");
    assertEquals(502, r.statusCode(), r.body());
    assertTrue(r.body().contains("HTTP 204, with no content"), r.body());
    r = client.post("/v1/responses", responses);
    assertEquals(502, r.statusCode(), r.body());
  }

  @Test
  void aCompressedRequestBodyIs415SayingSoNotMalformedJson() {
    HttpRequest gzipped = HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
        .header("Authorization", "Bearer " + GatewayClient.CLIENT_KEY).header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {31, -117, 8, 0}))
        .build();
    HttpResponse<String> r = client.send(gzipped);
    assertEquals(415, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"code\":\"unsupported_content_encoding\""), r.body());
    assertTrue(upstream.requests().isEmpty());
  }

  @Test
  void aConnectionCutAfterTheStreamsEndLeavesTheAnswerWhole() {
    upstream.respondWith(req -> UpstreamResponse.sse(SseStep.chunk(req.model(), "Hello"), SseStep.finish(req.model()),
        SseStep.done(), SseStep.sleep(Duration.ofMillis(200)), SseStep.abort()));

    HttpResponse<String> chat = client.post("/v1/chat/completions",
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(200, chat.statusCode());
    assertTrue(chat.body().strip().endsWith("data: [DONE]"), chat.body());
    assertFalse(chat.body().contains("error"), chat.body());

    HttpResponse<String> messages = client.post("/v1/messages", "{\"model\":\"m\",\"max_tokens\":10,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertTrue(messages.body().contains("event: message_stop"), messages.body());
    assertFalse(messages.body().contains("event: error"), messages.body());
  }

  @Test
  void anUnresolvableProviderSaysWhyAndIsNeverCalledARateLimit() throws Exception {
    try (LogCapture log = new LogCapture()) {
      HttpResponse<String> first = client.chat("unreachable");
      assertEquals(502, first.statusCode(), first.body());
      assertTrue(first.body().contains("its host name could not be resolved"), first.body());
      assertTrue(log.lines().stream().anyMatch(l -> l.contains("WARNING") && l.contains("UnknownHostException")),
          "the log says why, at WARNING: " + log.lines());

      HttpResponse<String> next = client.chat("unreachable");
      assertEquals(503, next.statusCode(), "while it cools, it is unavailable, not a rate limit: " + next.body());
      assertFalse(next.body().contains("rate_limit"), next.body());
      assertTrue(next.headers().firstValue("Retry-After").isPresent());
    }
  }

  @Test
  void aDeclaredBodyThatNeverComesHoldsNoMemoryForIt() throws Exception {
    long before = ProcessFootprint.usedHeapAfterGc();
    List<RawClient> liars = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        RawClient c = RawClient.connect(gateway.port());
        c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer team-key-1\r\n"
            + "Content-Type: application/json\r\nContent-Length: 33554432\r\n\r\n",
            "{\"model\"".getBytes(StandardCharsets.UTF_8));
        liars.add(c);
      }
      Thread.sleep(1000);
      long grown = ProcessFootprint.usedHeapAfterGc() - before;
      assertTrue(grown < 64L * 1024 * 1024, "40 bodies declared at 32 MiB grew the heap by " + (grown >> 20) + " MiB");
    } finally {
      for (RawClient c : liars) {
        c.abort();
      }
    }
  }
}
