package dev.llmproxy.it.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.YamlComments;
import dev.llmproxy.testing.GatewayServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** 100 concurrent management writes: none lost, the file parses and keeps every comment. */
class ConcurrentWritesIT {
  private static final int PROVIDERS = 50;
  private static final int REQUESTS = 100;

  @TempDir
  Path dir;

  static String config() {
    StringBuilder sb = new StringBuilder("""
        # Concurrency fixture: every comment must survive.
        api-keys:
          - "client-key-0001-aaaa"   # the first key
        remote-management:
          secret-key: "mgmt-secret-for-tests-42"
        openai-compatibility:
        """);
    for (int i = 0; i < PROVIDERS; i++) {
      sb.append("  # provider number ").append(i).append('\n')
          .append("  - name: \"p").append(i).append("\"   # inline ").append(i).append('\n')
          .append("    base-url: \"http://127.0.0.1:9/p").append(i).append("\"\n")
          .append("    models:\n")
          .append("      - name: \"up-").append(i).append("\"\n");
    }
    return sb.toString();
  }

  @Test
  @SuppressWarnings("unchecked")
  void hundredConcurrentWritesAreAllAppliedAndPersistedWithComments() throws Exception {
    Files.writeString(dir.resolve("config.yaml"), config());
    try (GatewayServer gateway = GatewayServer.builder().configDirectory(dir).build().start()) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        boolean key = i % 2 == 0;
        String path = key ? "api-keys" : "openai-compatibility";
        String body = key ? "{\"new\":\"concurrent-key-" + i + "\"}"
            : "{\"name\":\"p" + (i / 2) + "\",\"value\":{\"prefix\":\"x" + i + "\"}}";
        replies.add(http.sendAsync(HttpRequest.newBuilder(gateway.uri("/v0/management/" + path))
            .timeout(Duration.ofSeconds(60))
            .header("X-Management-Key", ManagementAuthIT.SECRET)
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> reply : replies) {
        assertEquals(200, reply.get().statusCode(), reply.get().body());
      }

      String file = Files.readString(dir.resolve("config.yaml"));
      Map<String, Object> root = new Yaml().load(file);
      List<String> keys = (List<String>) root.get("api-keys");
      List<Map<String, Object>> providers = (List<Map<String, Object>>) root.get("openai-compatibility");
      for (int i = 0; i < REQUESTS; i++) {
        if (i % 2 == 0) {
          assertTrue(keys.contains("concurrent-key-" + i), "lost api key " + i);
        } else {
          assertEquals("x" + i, providers.get(i / 2).get("prefix"), "lost prefix of p" + (i / 2));
        }
      }
      assertEquals(1 + REQUESTS / 2, keys.size());
      assertEquals(YamlComments.of(config()), YamlComments.of(file));
      ManagementClient.Reply live = new ManagementClient(gateway, ManagementAuthIT.SECRET).get("api-keys");
      assertEquals(1 + REQUESTS / 2, live.json().get("api-keys").size(), "the running config has every change");
    }
  }
}
