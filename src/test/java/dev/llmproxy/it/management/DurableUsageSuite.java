package dev.llmproxy.it.management;

import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.data;
import static dev.llmproxy.testing.SseStep.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.it.GatewayClient;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.PrometheusScrape;
import dev.llmproxy.testing.UpstreamResponse;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable usage, the same suite on every store: records survive a restart of the gateway, reports group them
 * by client, model, provider and day, and their totals agree with the metrics' counters. Subclasses say where
 * the records go.
 */
abstract class DurableUsageSuite {
  static final String CLIENT_KEY = "usage-team-key-0123456789-wxyz";

  @RegisterExtension
  static final FakeUpstream upstream = new FakeUpstream();

  /** The {@code usage:} block for a test; {@code dataDir} is fresh per test. */
  abstract String usageYaml(Path dataDir);

  GatewayServer gateway(Path configDir, String usage) {
    return GatewayServer.builder().configDirectory(configDir).config(() -> """
        api-keys: ["%s"]
        remote-management:
          secret-key: "%s"
        %sopenai-compatibility:
          - name: p
            base-url: %s
            request-retry: 0
            api-key-entries: [{api-key: k}]
            models: [{name: m, price: {input: 1, output: 2}}]
        """.formatted(CLIENT_KEY, ManagementAuthIT.SECRET, usage, upstream.baseUrl())).build();
  }

  private static int chat(GatewayServer gateway, String model, boolean stream) {
    return new GatewayClient(gateway, CLIENT_KEY).post("/v1/chat/completions", "{\"model\":\"" + model
        + "\",\"stream\":" + stream + ",\"stream_options\":{\"include_usage\":true},\"messages\":[]}").statusCode();
  }

  private static JsonNode usage(GatewayServer gateway, String query) {
    ManagementClient.Reply reply = new ManagementClient(gateway, ManagementAuthIT.SECRET).get("usage" + query);
    assertEquals(200, reply.status(), reply.body());
    return reply.json();
  }

  private static Map<String, JsonNode> rows(JsonNode report) {
    Map<String, JsonNode> byKey = new HashMap<>();
    report.get("rows").forEach(r -> byKey.put(r.get("key").asText(), r));
    return byKey;
  }

  private static PrometheusScrape metrics(GatewayServer gateway) {
    ManagementClient.Reply r = ManagementClient.exchange(HttpRequest.newBuilder(gateway.uri("/metrics"))
        .header("Authorization", "Bearer " + ManagementAuthIT.SECRET).build());
    assertEquals(200, r.status(), r.body());
    return new PrometheusScrape(r.body());
  }

  @Test
  void recordsSurviveARestartAndTheirTotalsAgreeWithTheMetrics(@TempDir Path dir) throws Exception {
    Path configDir = Files.createDirectories(dir.resolve("config"));
    String usage = usageYaml(dir.resolve("data"));
    try (GatewayServer first = gateway(configDir, usage).start()) {
      upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));
      assertEquals(200, chat(first, "m", false));
      assertEquals(200, chat(first, "m", false));
      upstream.respondWith(r -> UpstreamResponse.sse(chunk(r.model(), "hi"),
          data("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
              + "\"completion_tokens\":4,\"total_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":2}}}"),
          done()));
      assertEquals(200, chat(first, "m", true));
      upstream.respondWith(r -> UpstreamResponse.error(500, "server_error", "down"));
      assertEquals(500, chat(first, "m", false));
      assertEquals(404, chat(first, "no-such-model", false));

      JsonNode report = usage(first, "?group-by=model");
      PrometheusScrape scrape = metrics(first);
      for (String model : new String[] {"m", "(not routed)"}) {
        JsonNode row = rows(report).get(model);
        assertEquals(row.get("requests").asLong(), Math.round(scrape.sum("llmproxy_requests_total", "model", model)),
            "requests of " + model + " in /usage and in /metrics");
        assertEquals(row.get("prompt-tokens").asLong(),
            Math.round(scrape.sum("llmproxy_tokens_total", "model", model, "type", "prompt")));
        assertEquals(row.get("completion-tokens").asLong(),
            Math.round(scrape.sum("llmproxy_tokens_total", "model", model, "type", "completion")));
      }
    }

    try (GatewayServer second = gateway(configDir, usage).start()) {
      assertEquals(0, usage(second, "").get("clients").size(), "the live counters start a new period");
      JsonNode byModel = usage(second, "?group-by=model");
      JsonNode m = rows(byModel).get("m");
      assertEquals(4, m.get("requests").asLong(), byModel.toString());
      assertEquals(3, m.get("succeeded").asLong());
      assertEquals(1, m.get("failed").asLong());
      assertEquals(5 + 5 + 3, m.get("prompt-tokens").asLong());
      assertEquals(7 + 7 + 4, m.get("completion-tokens").asLong());
      assertEquals(2, m.get("cached-tokens").asLong());
      assertEquals(12 + 12 + 7, m.get("total-tokens").asLong());
      assertEquals(new BigDecimal("0.000049"), m.get("cost").decimalValue(), "(5 + 5 + 3) * $1/M + (7 + 7 + 4) * $2/M");
      assertEquals(new BigDecimal("0.000049"), byModel.get("totals").get("cost").decimalValue());
      assertEquals(1, rows(byModel).get("(not routed)").get("failed").asLong());
      assertEquals(5, byModel.get("totals").get("requests").asLong());

      JsonNode byClient = usage(second, "?group-by=client");
      assertEquals(1, byClient.get("rows").size());
      assertEquals("key usag...wxyz", byClient.get("rows").get(0).get("key").asText(), "clients as the logs name them");
      JsonNode byProvider = usage(second, "?group-by=provider");
      assertEquals(4, rows(byProvider).get("p").get("requests").asLong());
      assertEquals(1, rows(byProvider).get("(none)").get("requests").asLong(), "never reached a provider");
      JsonNode byUpstreamModel = usage(second, "?group-by=upstream-model");
      assertEquals(4, rows(byUpstreamModel).get("m").get("requests").asLong(), byUpstreamModel.toString());
      assertEquals(1, rows(byUpstreamModel).get("(none)").get("requests").asLong(), "never reached a provider");
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      JsonNode byDay = usage(second, "?group-by=day&from=" + today.minusDays(1) + "&to=" + today.plusDays(1));
      assertEquals(today.minusDays(1).toString(), byDay.get("from").asText());
      assertEquals("day", byDay.get("group-by").asText());
      long sum = 0;
      for (JsonNode row : byDay.get("rows")) {
        assertTrue(row.get("key").asText().matches("\\d{4}-\\d{2}-\\d{2}"), row.toString());
        sum += row.get("requests").asLong();
      }
      assertEquals(5, sum);
      assertEquals(0, usage(second, "?from=2001-01-01&to=2001-01-31").get("totals").get("requests").asLong());
    }
  }

  @Test
  void badDatesGroupingsAndUnknownParametersAre400NamingTheParameter(@TempDir Path dir) throws Exception {
    try (GatewayServer gateway = gateway(Files.createDirectories(dir.resolve("config")),
        usageYaml(dir.resolve("data"))).start()) {
      ManagementClient management = new ManagementClient(gateway, ManagementAuthIT.SECRET);
      for (String[] bad : new String[][] {{"?from=yesterday", "from"}, {"?to=2026-13-01", "to"},
          {"?group-by=team", "group-by"}, {"?from=2026-12-06&to=2026-12-01", "from"},
          {"?client=key%20x", "'client'; accepted: from, to, group-by"}, {"?groupBy=client", "'groupBy'"},
          {"?group_by=client", "'group_by'"}, {"?group-by=client&page=2", "'page'"}, {"?format=csv", "'format'"},
          {"?group-by=client&group-by=model", "group-by is given more than once"},
          {"?to=%2B999999999-12-31", "to must be between 0001-01-01 and 9999-12-31"}}) {
        ManagementClient.Reply r = management.get("usage" + bad[0]);
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().get("message").asText().contains(bad[1]), r.body());
      }
      assertEquals("0001-01-01", usage(gateway, "?to=0001-01-05").get("from").asText(), "never before year 1");
      JsonNode defaults = usage(gateway, "?group-by=client");
      assertEquals(LocalDate.parse(defaults.get("to").asText()).minusDays(30).toString(),
          defaults.get("from").asText(), "30 days back by default");
    }
  }
}
