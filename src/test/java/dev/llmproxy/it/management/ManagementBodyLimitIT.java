package dev.llmproxy.it.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.testing.GatewayServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Management bodies are capped at 1 MiB, whatever the route and however they are framed. */
class ManagementBodyLimitIT {
  private static final String TOO_LARGE = "{\"error\":\"request body too large\","
      + "\"message\":\"management request bodies are limited to 1048576 bytes (1 MiB)\"}";

  @TempDir
  Path dir;
  private GatewayServer gateway;
  private ManagementClient client;
  private String original;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("config.yaml"), "remote-management:\n  secret-key: \"" + ManagementAuthIT.SECRET
        + "\"\n");
    gateway = GatewayServer.builder().configDirectory(dir).build().start();
    client = new ManagementClient(gateway, ManagementAuthIT.SECRET);
    original = Files.readString(dir.resolve("config.yaml"));
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private static String yamlOf(int bytes) {
    String line = "# " + "x".repeat(98) + "\n";
    return "debug: true\n" + line.repeat(bytes / line.length());
  }

  @Test
  void aConfigYamlLargerThan1MiBGets413AndTheFileStays() throws Exception {
    String body = yamlOf((1 << 20) + 100);

    ManagementClient.Reply reply = client.send("PUT", "config.yaml", body);

    assertEquals(413, reply.status(), reply.body());
    assertEquals(TOO_LARGE, reply.body());
    assertEquals(original, Files.readString(dir.resolve("config.yaml")));
  }

  @Test
  void aChunkedBodyLargerThan1MiBGets413Too() throws Exception {
    byte[] body = yamlOf((1 << 20) + 100).getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v0/management/config.yaml"))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ManagementAuthIT.SECRET)
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();

    ManagementClient.Reply reply = ManagementClient.exchange(request);

    assertEquals(413, reply.status(), reply.body());
    assertEquals(original, Files.readString(dir.resolve("config.yaml")));
  }

  @Test
  void aChunkedBodyWithinTheCapIsServed() throws Exception {
    byte[] body = yamlOf(900 * 1024).replace("debug: true", "debug: true\nremote-management:\n  secret-key: \""
        + ManagementAuthIT.SECRET + "\"").getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v0/management/config.yaml"))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ManagementAuthIT.SECRET)
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();

    ManagementClient.Reply reply = ManagementClient.exchange(request);

    assertEquals(200, reply.status(), reply.body());
    assertEquals(new String(body, StandardCharsets.UTF_8), Files.readString(dir.resolve("config.yaml")));
  }

  @Test
  void aJsonBodyLargerThan1MiBGets413() {
    String body = "[\"" + "k".repeat((1 << 20) + 10) + "\"]";

    ManagementClient.Reply reply = client.send("PUT", "api-keys", body, "Content-Type", "application/json");

    assertEquals(413, reply.status(), reply.body());
  }

  @Test
  void aLongCommentLineIsRefusedAt400InsteadOfParsedForSeconds() throws Exception {
    String body = "debug: true\n# " + "lorem ipsum ".repeat(80_000) + "\n";

    ManagementClient.Reply reply = client.send("PUT", "config.yaml", body);

    assertEquals(400, reply.status(), reply.body());
    assertEquals("{\"error\":\"invalid_yaml\",\"message\":\"line 2 has 960002 characters; lines of at most 65536 "
        + "are accepted\",\"problems\":[\"line 2 has 960002 characters; lines of at most 65536 are accepted\"]}",
        reply.body());
    assertEquals(original, Files.readString(dir.resolve("config.yaml")));
  }
}
