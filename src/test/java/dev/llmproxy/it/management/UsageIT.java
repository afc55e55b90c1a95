package dev.llmproxy.it.management;

import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.data;
import static dev.llmproxy.testing.SseStep.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.it.GatewayClient;
import dev.llmproxy.it.UpstreamAndGateway;
import dev.llmproxy.testing.Await;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v0/management/usage}: requests and reported tokens per client and model. */
class UsageIT {
  private static final String CLIENT_KEY = "team-key-0123456789-abcd";

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["%s"]
      remote-management:
        secret-key: "%s"
      openai-compatibility:
        - name: p
          base-url: %s
          request-retry: 0
          api-key-entries: [{api-key: k}]
          models: [{name: m}]
      """.formatted(CLIENT_KEY, ManagementAuthIT.SECRET, upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private static int chat(String model, boolean stream) {
    return new GatewayClient(gateway, CLIENT_KEY).post("/v1/chat/completions", "{\"model\":\"" + model
        + "\",\"stream\":" + stream + ",\"stream_options\":{\"include_usage\":true},\"messages\":[]}")
        .statusCode();
  }

  /**
   * The usage report once it counts {@code requests} in all: a request is counted when its exchange ends, which can be
   * just after its client has the whole response.
   */
  private static ManagementClient.Reply usageOnceCounted(long requests) {
    ManagementClient management = new ManagementClient(gateway, ManagementAuthIT.SECRET);
    ManagementClient.Reply[] last = new ManagementClient.Reply[1];
    Await.until(Duration.ofSeconds(10), () -> {
      last[0] = management.get("usage");
      assertEquals(200, last[0].status(), last[0].body());
      long counted = 0;
      for (JsonNode client : last[0].json().get("clients")) {
        for (JsonNode model : client.get("models")) {
          counted += model.get("requests").asLong();
        }
      }
      return counted == requests;
    }, requests + " requests counted");
    return last[0];
  }

  /** Each test counts from a new period. */
  @BeforeEach
  void newPeriod() {
    assertEquals(200, new ManagementClient(gateway, ManagementAuthIT.SECRET).send("DELETE", "usage", null).status());
  }

  @Test
  void requestsAndReportedTokensAreCountedPerClientAndModel() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));
    assertEquals(200, chat("m", false));
    upstream.respondWith(r -> UpstreamResponse.sse(chunk(r.model(), "hi"),
        data("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}"), done()));
    assertEquals(200, chat("m", true));
    upstream.respondWith(r -> UpstreamResponse.error(500, "server_error", "down"));
    assertEquals(500, chat("m", false));
    assertEquals(404, chat("no-such-model", false));

    ManagementClient.Reply reply = usageOnceCounted(4);
    JsonNode clients = reply.json().get("clients");
    assertEquals(1, clients.size(), reply.body());
    assertEquals("key team...abcd", clients.get(0).get("client").asText());
    Map<String, JsonNode> byModel = new HashMap<>();
    clients.get(0).get("models").forEach(m -> byModel.put(m.get("model").asText(), m));
    JsonNode m = byModel.get("m");
    assertEquals(3, m.get("requests").asLong());
    assertEquals(2, m.get("succeeded").asLong());
    assertEquals(1, m.get("failed").asLong());
    assertEquals(5 + 3, m.get("prompt-tokens").asLong(), "the JSON answer's usage and the stream's usage event");
    assertEquals(7 + 4, m.get("completion-tokens").asLong());
    assertEquals(12 + 7, m.get("total-tokens").asLong());
    assertEquals(1, byModel.get("(not routed)").get("failed").asLong(), "unknown model ids are not keys");
    assertFalse(reply.body().contains(CLIENT_KEY), "client keys are masked");

    ManagementClient management = new ManagementClient(gateway, ManagementAuthIT.SECRET);
    String since = reply.json().get("since").asText();
    assertEquals("{\"status\":\"ok\"}", management.send("DELETE", "usage", null).body());
    JsonNode after = management.get("usage").json();
    assertEquals(0, after.get("clients").size(), "a new period starts empty");
    assertFalse(after.get("since").asText().equals(since), after.toString());
  }

  @Test
  void aStreamWhoseClientDidNotAskForUsageIsCountedWithTheUpstreamsTokensWithoutShowingThem() throws Exception {
    // Like OpenAI, the upstream reports a stream's usage only when asked.
    upstream.respondWith(r -> r.json().at("/stream_options/include_usage").asBoolean()
        ? UpstreamResponse.sse(chunk(r.model(), "hi"), data("{\"id\":\"c\",\"object\":\"chat.completion.chunk\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":9,\"total_tokens\":15}}"), done())
        : UpstreamResponse.sse(chunk(r.model(), "hi"), done()));

    HttpResponse<String> reply = new GatewayClient(gateway, CLIENT_KEY).post("/v1/chat/completions",
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(200, reply.statusCode(), reply.body());
    assertTrue(reply.body().contains("\"hi\"") && reply.body().endsWith("data: [DONE]\n\n"), reply.body());
    assertFalse(reply.body().contains("usage"), "the client did not ask for the usage chunk: " + reply.body());
    assertEquals(true, upstream.lastRequest().json().at("/stream_options/include_usage").asBoolean(false));
    JsonNode m = usageOnceCounted(1).json().at("/clients/0/models/0");
    assertEquals("m", m.get("model").asText(), m.toString());
    assertEquals(6, m.get("prompt-tokens").asLong(), m.toString());
    assertEquals(9, m.get("completion-tokens").asLong(), m.toString());
    assertEquals(0, m.path("estimated-requests").asLong(), "the upstream's counts, not an estimate: " + m);
  }
}
