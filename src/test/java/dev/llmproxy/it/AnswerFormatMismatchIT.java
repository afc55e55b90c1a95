package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.abort;
import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.data;
import static dev.llmproxy.testing.SseStep.done;
import static dev.llmproxy.testing.SseStep.finish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.AnthropicEventGrammar;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.PrometheusScrape;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An upstream that streams although the request said {@code "stream": false} (some self-hosted servers do): the
 * client that asked for one answer gets one answer, in its own dialect, gathered from the stream; a stream that
 * breaks before it is complete fails over like any broken answer, since nothing reached the client yet. The other
 * way round, a client that asked for a stream gets the events a whole JSON answer stands for.
 */
class AnswerFormatMismatchIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANAGEMENT_KEY = "mgmt-secret-0000000006";

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      remote-management: {secret-key: "%1$s"}
      openai-compatibility:
        - name: streamer
          base-url: %2$s
          request-retry: 0
          api-key-entries: [{api-key: s-k1}, {api-key: s-k2}]
          models: [{name: m}, {name: legacy}, {name: tools}]
        - name: breaker
          base-url: %2$s
          request-retry: 0
          api-key-entries: [{api-key: b-k1}, {api-key: b-k2}]
          models: [{name: breaks}]
      """.formatted(MANAGEMENT_KEY, upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();
  private final GatewayClient management = new GatewayClient(gateway, MANAGEMENT_KEY);

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  @Test
  void aChatClientThatAskedForJsonGetsTheStreamGatheredIntoOneCompletion() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.sse(
        data(OpenAiBodies.deltaChunk("m", "{\"role\":\"assistant\",\"reasoning_content\":\"Thinking\"}")),
        chunk("m", "Hello "), chunk("m", "there"), finish("m"),
        data(OpenAiBodies.usageChunk("m", 11, 2, 0, 0)), done()));
    double before = tokens("completion");

    HttpResponse<String> r = client.post("/v1/chat/completions",
        "{\"model\":\"m\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    JsonNode answer = JSON.readTree(r.body());
    assertEquals("chat.completion", answer.get("object").asText());
    assertEquals("Hello there", answer.at("/choices/0/message/content").asText());
    assertEquals("Thinking", answer.at("/choices/0/message/reasoning_content").asText());
    assertEquals("stop", answer.at("/choices/0/finish_reason").asText());
    assertEquals(11, answer.at("/usage/prompt_tokens").asInt());
    assertEquals(2, tokens("completion") - before, "the gathered answer's usage is counted");
  }

  @Test
  void aLegacyCompletionsStreamBecomesOneTextCompletion() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.sse(
        data("{\"id\":\"t\",\"object\":\"text_completion\",\"model\":\"legacy\",\"choices\":[{\"index\":0,\"text\":\"Once\"}]}"),
        data("{\"id\":\"t\",\"object\":\"text_completion\",\"model\":\"legacy\","
            + "\"choices\":[{\"index\":0,\"text\":\" upon\",\"finish_reason\":\"length\"}]}"),
        done()));

    HttpResponse<String> r = client.post("/v1/completions", "{\"model\":\"legacy\",\"prompt\":\"Tell\"}");

    assertEquals(200, r.statusCode(), r.body());
    JsonNode answer = JSON.readTree(r.body());
    assertEquals("text_completion", answer.get("object").asText());
    assertEquals("Once upon", answer.at("/choices/0/text").asText());
  }

  @Test
  void anAnthropicClientThatAskedForOneMessageGetsItWithTheToolCallsWhole() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.sse(
        data(OpenAiBodies.toolCallChunk("tools", 0, "call_1", "read_file", "")),
        data(OpenAiBodies.toolCallChunk("tools", 0, null, null, "{\"path\":")),
        data(OpenAiBodies.toolCallChunk("tools", 0, null, null, "\"a.txt\"}")),
        data(OpenAiBodies.chatCompletionChunk("tools", null, "tool_calls")), done()));

    HttpResponse<String> r = client.post("/v1/messages", "{\"model\":\"tools\",\"max_tokens\":100,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"read a.txt\"}],"
        + "\"tools\":[{\"name\":\"read_file\",\"input_schema\":{\"type\":\"object\"}}]}");

    assertEquals(200, r.statusCode(), r.body());
    JsonNode message = JSON.readTree(r.body());
    assertEquals("message", message.get("type").asText(), r.body());
    assertEquals("tool_use", message.get("stop_reason").asText());
    JsonNode toolUse = message.at("/content/0");
    assertEquals("tool_use", toolUse.get("type").asText(), r.body());
    assertEquals("call_1", toolUse.get("id").asText());
    assertEquals("a.txt", toolUse.at("/input/path").asText());
  }

  @Test
  void aGatheredStreamThatBreaksFailsOverToTheNextKeyAndTheClientNeverSeesIt() throws Exception {
    upstream.respondWith(request -> request.bearerToken().equals("b-k1")
        ? UpstreamResponse.sse(chunk("breaks", "half an ans"), abort())
        : UpstreamResponse.sse(chunk("breaks", "A whole answer"), finish("breaks"), done()));

    HttpResponse<String> first = client.chat("breaks");
    HttpResponse<String> second = client.chat("breaks");

    for (HttpResponse<String> r : List.of(first, second)) {
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("A whole answer", JSON.readTree(r.body()).at("/choices/0/message/content").asText(), r.body());
    }
    assertEquals(List.of("b-k1", "b-k2", "b-k2"),
        upstream.requests().stream().map(RecordedRequest::bearerToken).toList(),
        "the broken stream's key cools, the next one answers both");
  }

  @Test
  void aClientThatAskedForAStreamStillGetsTheStream() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.sse(chunk("m", "streamed"), finish("m"), done()));

    HttpResponse<String> r = client.post("/v1/chat/completions",
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    assertTrue(r.body().contains("\"content\":\"streamed\"") && r.body().contains("data: [DONE]"), r.body());
  }

  @Test
  void aChatClientThatAskedForAStreamGetsAJsonAnswerAsEvents() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.json(
        "{\"id\":\"c9\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"One piece\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6}}"));

    HttpResponse<String> r = client.post("/v1/chat/completions", "{\"model\":\"m\",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), r.headers().toString());
    List<String> data = r.body().lines().filter(l -> l.startsWith("data: ")).toList();
    assertEquals("data: [DONE]", data.get(data.size() - 1), r.body());
    JsonNode first = JSON.readTree(data.get(0).substring(6));
    assertEquals("chat.completion.chunk", first.get("object").asText());
    assertEquals("One piece", first.at("/choices/0/delta/content").asText());
    assertTrue(r.body().contains("\"finish_reason\":\"stop\""), r.body());
    assertEquals(6, JSON.readTree(data.get(data.size() - 2).substring(6)).at("/usage/total_tokens").asInt(), r.body());
  }

  @Test
  void anAnthropicClientThatAskedForAStreamGetsTheToolCallOfAJsonAnswerAsEvents() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.json(
        "{\"id\":\"c10\",\"object\":\"chat.completion\",\"model\":\"tools\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"Reading.\",\"tool_calls\":[{\"id\":\"call_7\","
            + "\"type\":\"function\",\"function\":{\"name\":\"read_file\",\"arguments\":\"{\\\"path\\\":\\\"b.txt\\\"}\"}}]},"
            + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":5}}"));

    HttpResponse<InputStream> r = client.send(client.request("/v1/messages").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tools\",\"max_tokens\":100,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"read b.txt\"}],"
            + "\"tools\":[{\"name\":\"read_file\",\"input_schema\":{\"type\":\"object\"}}]}")).build(),
        HttpResponse.BodyHandlers.ofInputStream());

    assertEquals(200, r.statusCode());
    try (SseEvents events = SseEvents.of(r)) {
      AnthropicEventGrammar.Message message = AnthropicEventGrammar.check(events.remaining(Duration.ofSeconds(10)));
      assertEquals("tool_use", message.stopReason());
      assertEquals("Reading.", message.content().get(0).get("text").asText(), message.content().toString());
      assertEquals("call_7", message.content().get(1).get("id").asText());
      assertEquals("b.txt", message.content().get(1).at("/input/path").asText());
    }
  }

  @Test
  void aJsonErrorAnsweringAStreamRequestIsJudgedAsAnError() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.json(
        "{\"error\":{\"message\":\"prompt is too long\",\"type\":\"invalid_request_error\","
            + "\"code\":\"context_length_exceeded\"}}"));

    HttpResponse<String> r = client.post("/v1/chat/completions",
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("context_length_exceeded"), r.body());
  }

  private double tokens(String type) {
    return new PrometheusScrape(management.get("/metrics").body()).sum("llmproxy_tokens_total", "model", "m", "type",
        type);
  }
}
