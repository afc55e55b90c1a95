package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.GatewayServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A broken config never serves half-configured: every call answers 503; the reason goes to the log and
 * to {@code /healthz} asked from the gateway's own host.
 */
class StartupIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void brokenConfigAtStartupAnswers503AndOnlyTheLocalHealthCheckNamesTheYamlPath() throws Exception {
    try (GatewayServer gateway = GatewayServer.builder().config("""
        api-keys: ["team-key-1"]
        openai-compatibility:
          - name: a
            base-url: http://127.0.0.1:1/v1
            api-key-entries:
              - api-key: k
                proxy-url: "sock5://proxy1.example.com:1080"
        """).build().start()) {
      GatewayClient client = new GatewayClient(gateway);
      for (HttpResponse<String> response : java.util.List.of(client.get("/v1/models"), client.chat("x"))) {
        assertEquals(503, response.statusCode());
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertEquals("not_configured", error.path("code").asText());
        assertEquals("The gateway is not configured yet; its operator finds the reason in the gateway's log.",
            error.path("message").asText(), "neither the config path nor its problems go to clients");
      }
      HttpResponse<String> health = client.send(HttpRequest.newBuilder(gateway.uri("/healthz")).GET().build());
      assertEquals(503, health.statusCode());
      String problem = JSON.readTree(health.body()).path("problem").asText();
      assertTrue(problem.contains(gateway.configDir().resolve("config.yaml").toString()), health.body());
      assertTrue(problem.contains("openai-compatibility[0].api-key-entries[0].proxy-url: unknown scheme 'sock5'"),
          health.body());
      HttpResponse<String> proxied = client.send(HttpRequest.newBuilder(gateway.uri("/healthz"))
          .header("X-Forwarded-For", "203.0.113.7").GET().build());
      assertEquals("{\"status\":\"unavailable\",\"state\":\"memory\",\"usage\":\"database\"}", proxied.body(),
          "a forwarded request is not the operator's");

      gateway.writeConfig("api-keys: [\"team-key-1\"]\n");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (client.get("/v1/models").statusCode() != 200 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(200, client.get("/v1/models").statusCode(), "a fixed file is picked up without a restart");
    }
  }
}
