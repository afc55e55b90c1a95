package dev.llmproxy.it.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.config.ClientKeyConfig;
import dev.llmproxy.it.GatewayClient;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client keys made and kept through {@code /v0/management/api-keys}: a created key works at once and only its hash
 * reaches config.yaml (comments kept), its limits and state are edited in place and apply at once, GET shows keys
 * masked with their usage against their limits, and the create call is refused unless it is JSON without a key.
 */
class ClientKeysManagementIT {
  private static final String SECRET = "management-secret-for-keys";

  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = new FakeUpstream();

  @RegisterExtension
  @Order(2)
  final GatewayServer gateway = GatewayServer.builder().config(() -> """
      # Client keys: one per team.
      api-keys:
        - "plain-key-0000000001"   # the old CI key
      remote-management:
        secret-key: "%s"
      openai-compatibility:
        - name: p
          base-url: %s
          api-key-entries: [{api-key: sk-upstream}]
          models:
            - {name: m1, alias: chat-a, price: {input: 1, output: 2}}
            - {name: m2, alias: chat-b}
      """.formatted(SECRET, upstream.baseUrl())).build();

  private ManagementClient management() {
    return new ManagementClient(gateway, SECRET);
  }

  private ManagementClient.Reply create(String body) {
    return management().send("POST", "api-keys", body, "Content-Type", "application/json");
  }

  @Test
  void aCreatedKeyWorksAtOnceAndOnlyItsHashIsStored() throws IOException {
    ManagementClient.Reply created = create("{\"name\":\"team-a\",\"models\":[\"chat-*\"],\"rpm\":60,"
        + "\"max-cost-per-month\":25,\"expires\":\"2099-01-01\"}");
    assertEquals(201, created.status(), created.body());
    String key = created.json().get("key").asText();
    assertTrue(key.startsWith("sk-lp-") && key.length() > 40, key);
    assertEquals("team-a", created.json().get("name").asText());

    assertEquals(200, new GatewayClient(gateway, key).chat("chat-a").statusCode(), "usable at once");
    String file = Files.readString(gateway.configDir().resolve("config.yaml"));
    assertFalse(file.contains(key), "the clear key is never stored");
    assertTrue(file.contains(ClientKeyConfig.sha256Hex(key)), file);
    assertTrue(file.contains("# Client keys: one per team.") && file.contains("# the old CI key"), file);

    JsonNode list = management().get("api-keys").json();
    JsonNode entry = list.get("api-keys").get(1);
    assertEquals("team-a", entry.get("name").asText());
    assertFalse(list.toString().contains(ClientKeyConfig.sha256Hex(key)), "the hash is masked too: " + list);
    assertEquals("2099-01-01", entry.get("expires").asText());
    assertEquals(1, list.get("usage").size(), "rows for keys with limits only");
    JsonNode usage = list.get("usage").get(0);
    assertEquals("key team-a", usage.get("client").asText());
    assertEquals("active", usage.get("state").asText());
    assertEquals(60, usage.at("/rpm/limit").asInt());
    assertEquals(1, usage.at("/rpm/used").asInt());
    assertEquals(25, usage.at("/max-cost-per-month/limit").asInt());
    assertEquals(0.000019, usage.at("/max-cost-per-month/used").asDouble(), 1e-12, usage.toString());
    assertEquals("plai...0001", list.get("api-keys").get(0).asText(), "string entries stay strings, masked");
  }

  @Test
  void limitsAndStateEditedThroughManagementApplyAtOnce() {
    String key = create("{\"name\":\"team-b\"}").json().get("key").asText();
    GatewayClient client = new GatewayClient(gateway, key);
    assertEquals(200, client.chat("chat-b").statusCode());

    ManagementClient.Reply limited = management().send("PATCH", "api-keys",
        "{\"name\":\"team-b\",\"value\":{\"models\":[\"chat-a\"]}}");
    assertEquals(200, limited.status(), limited.body());
    assertEquals(403, client.chat("chat-b").statusCode());
    assertEquals(200, client.chat("chat-a").statusCode());

    assertEquals(200, management().send("PATCH", "api-keys", "{\"name\":\"team-b\",\"value\":{\"disabled\":true}}")
        .status());
    ManagementClient.Reply listed = management().get("api-keys");
    assertEquals("disabled", listed.json().at("/usage/0/state").asText(), listed.body());
    assertTrue(client.chat("chat-a").body().contains("disabled"));
    assertEquals(200, management().send("PATCH", "api-keys",
        "{\"name\":\"team-b\",\"value\":{\"disabled\":null,\"models\":null}}").status());
    assertEquals(200, client.chat("chat-b").statusCode(), "a null removes the field");

    assertEquals(200, management().send("DELETE", "api-keys?name=team-b", null).status());
    assertEquals(401, client.chat("chat-a").statusCode());
    assertEquals(404, management().send("DELETE", "api-keys?name=team-b", null).status());
  }

  @Test
  void aPlainStringKeyGainsLimitsInPlace() {
    assertEquals(200, management().send("PATCH", "api-keys",
        "{\"index\":0,\"value\":{\"name\":\"ci\",\"expires\":\"" + Instant.now().minus(Duration.ofDays(1)) + "\"}}")
        .status());
    assertEquals(401, new GatewayClient(gateway, "plain-key-0000000001").chat("chat-a").statusCode());
    JsonNode entry = management().get("api-keys").json().at("/api-keys/0");
    assertEquals("ci", entry.get("name").asText());
    assertEquals("plai...0001", entry.get("key").asText(), "the key it had stays, masked");
  }

  @Test
  void createIsRefusedUnlessItIsJsonWithANameAndWithoutAKey() {
    assertEquals(415, management().send("POST", "api-keys", "{\"name\":\"x\"}", "Content-Type", "text/plain")
        .status(), "a cross-site form cannot create keys");
    ManagementClient.Reply withKey = create("{\"name\":\"x\",\"key\":\"chosen-by-me-000001\"}");
    assertEquals(400, withKey.status());
    assertTrue(withKey.body().contains("the gateway makes the key"), withKey.body());
    assertEquals(400, create("{\"rpm\":5}").status(), "a name is required");
    ManagementClient.Reply invalid = create("{\"name\":\"y\",\"rpm\":-1}");
    assertEquals(422, invalid.status());
    assertTrue(invalid.body().contains("api-keys[1].rpm"), invalid.body());
    ManagementClient.Reply duplicate = create("{\"name\":\"z\"}");
    assertEquals(201, duplicate.status());
    assertEquals(422, create("{\"name\":\"Z\"}").status(), "names are unique");
    assertTrue(management().send("OPTIONS", "api-keys", null).raw().headers().firstValue("Allow").orElse("")
        .contains("POST"), "the admin page enables creation from this");
  }
}
