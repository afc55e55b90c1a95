package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.Await;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.SseStep;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stream whose client leaves before its end is charged to the client's limits and recorded in usage alike: with the
 * tokens the upstream reported when its usage event came, else with the estimate.
 */
class LeftStreamChargesIT {
  private static final String SECRET = "management-secret-for-left-streams";
  private static final String AFTER_USAGE = "left-after-usage-key-1";
  private static final String BEFORE_USAGE = "left-before-usage-key2";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys:
        - {key: "%s", name: after-usage, max-tokens-per-month: 100000, max-cost-per-month: 100}
        - {key: "%s", name: before-usage, max-tokens-per-month: 100000, max-cost-per-month: 100}
      remote-management:
        secret-key: "%s"
      openai-compatibility:
        - name: p
          base-url: %s
          api-key-entries: [{api-key: sk-upstream}]
          models:
            - {name: m1, alias: chat-a, price: {input: 1, output: 2}}
      """.formatted(AFTER_USAGE, BEFORE_USAGE, SECRET, upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  @Test
  void aClientThatLeavesAfterTheUsageEventIsChargedAndRecordedWithTheReportedTokens() throws Exception {
    CountDownLatch clientLeft = new CountDownLatch(1);
    List<SseStep> steps = new ArrayList<>(List.of(SseStep.chunk("m1", "one"), SseStep.finish("m1"),
        SseStep.data(OpenAiBodies.usageChunk("m1", 30, 40, 0, 0)), SseStep.await(clientLeft)));
    for (int i = 0; i < 20; i++) { // the upstream pauses before [DONE] until the gateway's writes find the client gone
      steps.add(SseStep.sleep(Duration.ofMillis(100)));
      steps.add(SseStep.chunk("m1", ""));
    }
    steps.add(SseStep.done());
    upstream.respondWith(r -> UpstreamResponse.sse(steps));
    try (RawClient client = RawClient.connect(gateway.port())) {
      client.post(gateway.uri("/v1/chat/completions").getPath(), AFTER_USAGE, "{\"model\":\"chat-a\",\"stream\":true,"
          + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      client.readUntil("\"prompt_tokens\"", 1);
      client.abort();
    } finally {
      clientLeft.countDown();
    }
    JsonNode row = awaitRecorded("key after-usage");
    assertEquals(1, row.get("cancelled").asLong(), "the client left first: " + row);
    assertEquals(0, row.get("estimated-requests").asLong(), "the upstream's own count: " + row);
    assertEquals(30, row.get("prompt-tokens").asLong(), row.toString());
    assertEquals(40, row.get("completion-tokens").asLong(), row.toString());
    assertEquals(new BigDecimal("0.00011"), row.get("cost").decimalValue(), "30 * $1/M + 40 * $2/M");
    JsonNode limits = new GatewayClient(gateway, SECRET).apiKeyUsage("after-usage");
    assertEquals(70, limits.at("/max-tokens-per-month/used").asLong(), limits.toString());
    assertEquals(new BigDecimal("0.00011"), limits.at("/max-cost-per-month/used").decimalValue().stripTrailingZeros());
  }

  @Test
  void aClientThatLeavesBeforeAnyUsageIsChargedAndRecordedWithTheSameEstimate() throws Exception {
    CountDownLatch clientLeft = new CountDownLatch(1);
    upstream.respondWith(r -> UpstreamResponse.threeChunksThenMoreAfter(clientLeft));
    try (RawClient client = RawClient.connect(gateway.port())) {
      client.post(gateway.uri("/v1/chat/completions").getPath(), BEFORE_USAGE, "{\"model\":\"chat-a\",\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(400) + "\"}]}");
      client.readUntil(" three", 1);
      client.abort(); // before the usage the upstream would have sent last
    } finally {
      clientLeft.countDown();
    }
    JsonNode row = awaitRecorded("key before-usage");
    assertEquals(1, row.get("estimated-requests").asLong(), row.toString());
    assertTrue(row.get("prompt-tokens").asLong() >= 100, "a prompt token per four bytes of the request: " + row);
    assertTrue(row.get("completion-tokens").asLong() >= 3, "a completion token per event relayed: " + row);
    JsonNode limits = new GatewayClient(gateway, SECRET).apiKeyUsage("before-usage");
    assertEquals(row.get("total-tokens").asLong(), limits.at("/max-tokens-per-month/used").asLong(),
        "records and limits agree: " + limits);
    assertEquals(row.get("cost").decimalValue().stripTrailingZeros(),
        limits.at("/max-cost-per-month/used").decimalValue().stripTrailingZeros());
  }

  /** The client's row of today's usage report, once its request has ended. */
  private static JsonNode awaitRecorded(String client) {
    AtomicReference<JsonNode> row = new AtomicReference<>();
    Await.until(Duration.ofSeconds(10), () -> {
      row.set(usageRow(client));
      return row.get() != null;
    }, "a usage row for " + client);
    return row.get();
  }

  /** The client's row of today's usage report, or {@code null}. */
  private static JsonNode usageRow(String client) {
    JsonNode report;
    try {
      report = JSON.readTree(new GatewayClient(gateway, SECRET).get("/v0/management/usage?group-by=client").body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (JsonNode row : report.get("rows")) {
      if (client.equals(row.get("key").asText())) {
        return row;
      }
    }
    return null;
  }
}
