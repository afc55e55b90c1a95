package dev.llmproxy.it;

import static dev.llmproxy.testing.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.RedisProcess;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two instances on shared storage (one config directory, as an NFS mount or a Kubernetes volume): a management
 * write through one is served by the other within 5 s through the file watch alone ({@code state.store: memory});
 * with Redis as well, the published write and the file watch meet without a second write of the file.
 */
class SharedConfigDirectoryIT {
  private static final String SECRET = "mgmt-secret-for-shared-storage";

  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = new FakeUpstream();

  @TempDir
  Path dir;

  @ParameterizedTest(name = "state.store: {0}")
  @ValueSource(strings = {"memory", "redis"})
  void aWriteThroughOneInstanceIsServedByTheOtherWithinFiveSeconds(String store) throws Exception {
    try (RedisProcess redis = store.equals("redis") ? RedisProcess.start() : null) {
      String state = redis == null ? "" : "state: {store: redis, redis-url: \"" + redis.url() + "\"}\n";
      Files.writeString(dir.resolve(GatewayServer.CONFIG_FILE), """
          api-keys: ["%s"]
          remote-management:
            secret-key: "%s"
          %sopenai-compatibility:
            - name: p
              base-url: %s
              api-key-entries: [{api-key: sk-shared-storage-0001}]
              models: [{name: m}]
          """.formatted(GatewayClient.CLIENT_KEY, BCrypt.withDefaults().hashToString(4, SECRET.toCharArray()),
          state, upstream.baseUrl()));
      try (GatewayServer a = GatewayServer.builder().configDirectory(dir).build().start();
          GatewayServer b = GatewayServer.builder().configDirectory(dir).build().start()) {
        String newKey = "team-key-shared-" + store;
        GatewayClient management = new GatewayClient(a, SECRET);
        HttpResponse<String> patch = management.send(management.request("/v0/management/api-keys")
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"old\":null,\"new\":\"" + newKey + "\"}")).build());
        assertEquals(200, patch.statusCode(), patch.body());

        await(Duration.ofSeconds(5), () -> new GatewayClient(b, newKey).chat("m").statusCode() == 200,
            "B serves the key added through A");
        assertTrue(Files.readString(dir.resolve(GatewayServer.CONFIG_FILE)).contains(newKey));
        assertEquals(200, new GatewayClient(a, newKey).chat("m").statusCode());
      }
    }
  }
}
