package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.UpstreamResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Providers without a models list take theirs from GET {base-url}/models, refreshed in the background. */
class ModelDiscoveryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> upstreamModels = new CopyOnWriteArrayList<>();
  private static final AtomicBoolean modelsEndpointFails = new AtomicBoolean();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> {
    upstreamModels.addAll(List.of("llama-3-8b", "qwen-2", "mistral-7b", "bge-embed-v1", "tiny-1", "phi-3"));
    installResponder();
    return """
        api-keys: ["team-key-1"]
        model-discovery-interval: 1s
        openai-compatibility:
          - name: local-vllm
            prefix: local
            base-url: %s
            api-key-entries: [{api-key: vllm-key}]
            excluded-models: ["*-embed*", "tiny-*"]
          - name: listed
            base-url: %s
            discover-models: true
            api-key-entries: [{api-key: listed-key}]
            models: [{name: real-phi, alias: phi-3}]
        """.formatted(upstream.baseUrl(), upstream.baseUrl() + "/listed");
  });
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  private static void installResponder() {
    upstream.respondWith(r -> {
      if (r.method().equals("GET") && r.path().endsWith("/models")) {
        if (r.path().contains("/listed/")) {
          return UpstreamResponse.json(OpenAiBodies.modelList("phi-3", "listed-extra"));
        }
        if (modelsEndpointFails.get()) {
          return UpstreamResponse.error(500, "server_error", "models listing down");
        }
        return UpstreamResponse.json(OpenAiBodies.modelList(upstreamModels.toArray(String[]::new)));
      }
      return UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "ok"));
    });
  }

  @BeforeEach
  void respondAgain() {
    installResponder();
  }

  private List<String> listedIds() throws Exception {
    JsonNode data = JSON.readTree(client.get("/v1/models").body()).path("data");
    List<String> ids = new ArrayList<>();
    data.forEach(m -> ids.add(m.path("id").asText()));
    return ids;
  }

  private List<String> awaitIds(java.util.function.Predicate<List<String>> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    List<String> ids = listedIds();
    while (!condition.test(ids) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      ids = listedIds();
    }
    return ids;
  }

  @Test
  void discoveredModelsAreListedRoutableFollowChangesAndSurviveAFailingListing() throws Exception {
    List<String> ids = awaitIds(l -> l.contains("local/llama-3-8b") && l.contains("listed-extra"));
    assertTrue(ids.containsAll(List.of("local/llama-3-8b", "llama-3-8b", "local/qwen-2", "local/mistral-7b",
        "local/phi-3")), ids.toString());
    assertTrue(ids.stream().noneMatch(id -> id.contains("embed") || id.contains("tiny")), "excluded never listed: " + ids);
    assertEquals(1, ids.stream().filter(id -> id.equals("phi-3")).count(), "an explicit alias wins on a clash");
    assertTrue(ids.contains("listed-extra"), "discover-models: true adds to a listed provider: " + ids);

    upstream.clearRequests();
    assertEquals(200, client.chat("local/qwen-2").statusCode());
    assertEquals("qwen-2", upstream.lastRequest().model());
    assertEquals("/v1/chat/completions", upstream.lastRequest().path());
    assertEquals(200, client.chat("phi-3").statusCode());
    assertEquals("real-phi", upstream.lastRequest().model(), "phi-3 is the listed alias, not the discovered id");

    upstream.clearRequests();
    for (String excluded : List.of("local/bge-embed-v1", "tiny-1")) {
      assertEquals(404, client.chat(excluded).statusCode(), excluded);
    }
    assertTrue(upstream.requests().stream().noneMatch(r -> r.method().equals("POST")), "refused without an upstream call");

    upstreamModels.remove("qwen-2");
    upstreamModels.add("gemma-2");
    ids = awaitIds(l -> l.contains("local/gemma-2") && !l.contains("local/qwen-2"));
    assertTrue(ids.contains("local/gemma-2") && !ids.contains("local/qwen-2"), ids.toString());
    assertEquals(404, client.chat("local/qwen-2").statusCode(), "removed upstream, gone here too");

    List<String> warnings = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLoggerName().endsWith("ModelDiscovery")) {
          warnings.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger discoveryLog = Logger.getLogger("dev.llmproxy.upstream.ModelDiscovery");
    discoveryLog.addHandler(capture);
    try {
      modelsEndpointFails.set(true);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (warnings.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(warnings.stream().anyMatch(w -> w.contains("local-vllm") || w.contains("last good")), warnings.toString());
      assertTrue(listedIds().contains("local/gemma-2"), "the last good list stays");
      assertEquals(200, client.chat("local/gemma-2").statusCode());
    } finally {
      modelsEndpointFails.set(false);
      discoveryLog.removeHandler(capture);
    }
  }
}
