package dev.llmproxy.it.management;

import static dev.llmproxy.testing.SseStep.await;
import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing config.yaml by rename (as editors do) while a stream is in flight. */
class HotReloadIT {
  private static final String CLIENT_KEY = "client-key-0001-aaaa";

  @TempDir
  Path dir;

  private static String config(String baseUrl, String alias, String upstreamModel) {
    return "# hot reload fixture\napi-keys:\n  - \"" + CLIENT_KEY + "\"\nopenai-compatibility:\n"
        + "  - name: \"alpha\"\n    base-url: \"" + baseUrl + "\"\n    api-key-entries:\n      - api-key: \"sk-test-1\"\n"
        + "    models:\n      - name: \"" + upstreamModel + "\"\n        alias: \"" + alias + "\"\n";
  }

  private static HttpRequest chat(GatewayServer gateway, String model, boolean stream) {
    return HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + CLIENT_KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":" + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
        .build();
  }

  private static boolean listsModel(GatewayServer gateway, String id) {
    ManagementClient.Reply reply = ManagementClient.exchange(HttpRequest.newBuilder(gateway.uri("/v1/models"))
        .header("Authorization", "Bearer " + CLIENT_KEY).build());
    return reply.status() == 200 && reply.body().contains("\"id\":\"" + id + "\"");
  }

  @Test
  void aStreamInFlightCompletesOnItsSnapshotAndTheNextRequestUsesTheRenamedInFile() throws Exception {
    try (FakeUpstream upstream = new FakeUpstream().start()) {
      // A stream sends one event, then waits for the test; a plain completion answers at once.
      CountDownLatch release = new CountDownLatch(1);
      upstream.respondWith(req -> req.isStream()
          ? UpstreamResponse.sse(chunk(req.model(), "one"), await(release), chunk(req.model(), "two"), done())
          : UpstreamResponse.json(OpenAiBodies.chatCompletion(req.model(), "ok")));
      Path file = dir.resolve("config.yaml");
      Files.writeString(file, config(upstream.baseUrl(), "chat", "model-old"));
      try (GatewayServer gateway = GatewayServer.builder().configDirectory(dir).build().start()) {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> stream = http.send(chat(gateway, "chat", true), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        Iterator<String> lines = stream.body().iterator();
        String first = lines.next();
        assertTrue(first.startsWith("data: ") && first.contains("\"one\""), first);

        Path temp = dir.resolve(".config.yaml.new");
        Files.writeString(temp, config(upstream.baseUrl(), "chat-v2", "model-new"));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        for (int i = 0; i < 100 && !listsModel(gateway, "chat-v2"); i++) {
          Thread.sleep(50);
        }
        assertTrue(listsModel(gateway, "chat-v2"), "the renamed-in file was applied within 5 s");
        assertFalse(listsModel(gateway, "chat"));
        HttpResponse<String> next = http.send(chat(gateway, "chat-v2", false), HttpResponse.BodyHandlers.ofString());

        release.countDown();
        List<String> rest = Stream.generate(() -> lines.hasNext() ? lines.next() : null)
            .takeWhile(l -> l != null).collect(Collectors.toList());

        assertEquals(200, next.statusCode(), next.body());
        assertEquals(List.of("model-old", "model-new"),
            upstream.requests().stream().map(RecordedRequest::model).collect(Collectors.toList()));
        String tail = String.join("\n", rest);
        assertTrue(tail.contains("\"two\""), tail);
        assertTrue(tail.contains("data: [DONE]"), tail);
        assertFalse(tail.contains("\"error\""), tail);
      }
    }
  }

  @Test
  void anInvalidEditKeepsTheRunningConfigAndTheNextValidEditIsApplied() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, config("http://127.0.0.1:9/v1", "chat", "model-old"));
    try (GatewayServer gateway = GatewayServer.builder().configDirectory(dir).build().start()) {
      Files.writeString(file, config("http://127.0.0.1:9/v1", "broken", "model-old") + "colour: red\n");
      Thread.sleep(1000);
      assertTrue(listsModel(gateway, "chat"), "the running config is kept");
      assertFalse(listsModel(gateway, "broken"));

      Files.writeString(file, config("http://127.0.0.1:9/v1", "fixed", "model-old"));
      for (int i = 0; i < 100 && !listsModel(gateway, "fixed"); i++) {
        Thread.sleep(50);
      }
      assertTrue(listsModel(gateway, "fixed"), "the fixed file is applied");
    }
  }
}
