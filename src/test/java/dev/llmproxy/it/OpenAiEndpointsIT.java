package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SocksProxyProcess;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rest of the OpenAI surface through the official SDK: completions, embeddings, responses (plain
 * and streamed, forwarded as they are to a {@code responses-api: native} provider), with the same routing as
 * chat, over a key that leaves through a SOCKS5 proxy.
 */
class OpenAiEndpointsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final SocksProxyProcess socks = SocksProxyProcess.start();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      openai-compatibility:
        - name: vllm
          prefix: v
          responses-api: native   # this provider serves /responses itself: forwarded as is
          base-url: %s
          api-key-entries:
            - api-key: vllm-key
              proxy-url: "%s"
          models:
            - {name: Qwen/Qwen2.5-7B, alias: qwen}
            - {name: BAAI/bge-m3, alias: embedder}
          excluded-models: ["*secret*"]
      """.formatted(upstream.baseUrl(), socks.url()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final OpenAIClient sdk = OpenAIOkHttpClient.builder()
      .baseUrl(gateway.baseUrl() + "/v1").apiKey("team-key-1").maxRetries(0).build();
  private final GatewayClient client = setup.client();

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  @AfterAll
  static void stopProxy() {
    socks.close();
  }

  private static void assertProxied(RecordedRequest seen, String path, String model) {
    assertEquals(path, seen.path());
    assertEquals(model, seen.model());
    assertEquals("Bearer vllm-key", seen.header("Authorization"));
    assertEquals(SocksProxyProcess.DEFAULT_OUTGOING_ADDRESS, seen.remoteAddress(), "through the key's SOCKS proxy");
  }

  @Test
  void completionsRouteToUpstreamCompletions() {
    upstream.respondWith(r -> UpstreamResponse.json("""
        {"id":"cmpl-1","object":"text_completion","created":1,"model":"%s",
         "choices":[{"text":"def hello():","index":0,"logprobs":null,"finish_reason":"stop"}]}""".formatted(r.model())));
    Completion completion = sdk.completions().create(
        CompletionCreateParams.builder().model("v/qwen").prompt("# python hello").build());
    assertEquals("def hello():", completion.choices().get(0).text());
    assertProxied(upstream.lastRequest(), "/v1/completions", "Qwen/Qwen2.5-7B");
  }

  @Test
  void embeddingsWithArrayInputRouteToUpstreamEmbeddings() {
    upstream.respondWith(r -> UpstreamResponse.json("""
        {"object":"list","model":"%s","usage":{"prompt_tokens":2,"total_tokens":2},
         "data":[{"object":"embedding","index":0,"embedding":[0.25,-0.5]},
                 {"object":"embedding","index":1,"embedding":[1.0,0.0]}]}""".formatted(r.model())));
    CreateEmbeddingResponse response = sdk.embeddings().create(EmbeddingCreateParams.builder()
        .model("embedder").input(EmbeddingCreateParams.Input.ofArrayOfStrings(List.of("a", "b")))
        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
    assertEquals(List.of(0.25f, -0.5f), response.data().get(0).embedding());
    assertEquals(2, response.data().size());
    RecordedRequest seen = upstream.lastRequest();
    assertProxied(seen, "/v1/embeddings", "BAAI/bge-m3");
    assertEquals("[\"a\",\"b\"]", seen.json().path("input").toString());
  }

  @Test
  void base64EmbeddingsPassThroughUntouched() throws Exception {
    String upstreamBody = "{\"object\":\"list\",\"model\":\"BAAI/bge-m3\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
        + "\"embedding\":\"AACAPgAAAL8=\"}],\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}";
    upstream.respondWith(r -> UpstreamResponse.json(upstreamBody));
    String request = "{\"model\":\"embedder\",\"input\":[\"x\"],\"encoding_format\":\"base64\"}";
    HttpResponse<String> response = client.post("/v1/embeddings", request);
    assertEquals(200, response.statusCode());
    assertEquals(upstreamBody, response.body());
    assertEquals(request.replace("\"embedder\"", "\"BAAI/bge-m3\""), upstream.lastRequest().bodyText());
  }

  @Test
  void responsesApiNonStreamed() {
    upstream.respondWith(r -> UpstreamResponse.json("""
        {"id":"resp_1","object":"response","created_at":1,"status":"completed","model":"%s",
         "output":[{"type":"message","id":"msg_1","status":"completed","role":"assistant",
                    "content":[{"type":"output_text","text":"Hi there","annotations":[]}]}],
         "parallel_tool_calls":true,"tool_choice":"auto","tools":[],"error":null,"incomplete_details":null,
         "instructions":null,"metadata":{},"temperature":1.0,"top_p":1.0}""".formatted(r.model())));
    Response response = sdk.responses().create(ResponseCreateParams.builder().model("qwen").input("Hello").build());
    assertEquals("resp_1", response.id());
    assertEquals("Hi there", response.output().get(0).asMessage().content().get(0).asOutputText().text());
    assertProxied(upstream.lastRequest(), "/v1/responses", "Qwen/Qwen2.5-7B");
  }

  private static UpstreamResponse responsesStream(String model) {
    return UpstreamResponse.sse(
        event("response.created", "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_2\","
            + "\"object\":\"response\",\"created_at\":1,\"status\":\"in_progress\",\"model\":\"" + model + "\",\"output\":[]}}"),
        event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":1,"
            + "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hel\",\"logprobs\":[]}"),
        event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":2,"
            + "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"lo\",\"logprobs\":[]}"),
        event("response.completed", "{\"type\":\"response.completed\",\"sequence_number\":3,\"response\":{\"id\":\"resp_2\","
            + "\"object\":\"response\",\"created_at\":1,\"status\":\"completed\",\"model\":\"" + model + "\",\"output\":[]}}"));
  }

  @Test
  void responsesApiStreamedThroughTheSdk() {
    upstream.respondWith(r -> responsesStream(r.model()));
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(
        ResponseCreateParams.builder().model("v/qwen").input("Hello").build())) {
      List<ResponseStreamEvent> events = stream.stream().collect(Collectors.toList());
      String text = events.stream().filter(ResponseStreamEvent::isOutputTextDelta)
          .map(e -> e.asOutputTextDelta().delta()).collect(Collectors.joining());
      assertEquals("Hello", text);
      assertTrue(events.get(events.size() - 1).isCompleted());
    }
    assertTrue(upstream.lastRequest().isStream());
  }

  @Test
  void responsesStreamKeepsEventNamesAndNeedsNoDone() throws Exception {
    upstream.respondWith(r -> responsesStream(r.model()));
    HttpResponse<InputStream> response = client.send(client.request("/v1/responses")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"qwen\",\"stream\":true,\"input\":\"Hello\"}")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (SseEvents events = SseEvents.of(response)) {
      List<String> names = events.remaining(java.time.Duration.ofSeconds(10)).stream()
          .map(dev.llmproxy.testing.SseEvent::event).toList();
      assertEquals(List.of("response.created", "response.output_text.delta", "response.output_text.delta",
          "response.completed"), names, "clean end without [DONE] and without an error event");
    }
  }

  @Test
  void excludedAndUnknownModelsAre404OnEveryEndpoint() throws Exception {
    for (String path : List.of("/v1/completions", "/v1/embeddings", "/v1/responses")) {
      HttpResponse<String> response = client.post(path, "{\"model\":\"my-secret-model\",\"input\":\"x\"}");
      assertEquals(404, response.statusCode(), path);
      assertEquals("model_not_found", JSON.readTree(response.body()).path("error").path("code").asText());
    }
    assertTrue(upstream.requests().isEmpty());
  }
}
