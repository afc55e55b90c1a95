package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.PrometheusScrape;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code routing.session-affinity} in the real webapp: a client session's requests reach the upstream with the key
 * that answered it last, whichever way the client names its session, while requests without one rotate.
 */
class SessionAffinityIT {
  private static final String METRICS_TOKEN = "scraper-token-for-session-affinity-it";

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      routing:
        session-affinity: true
      metrics:
        token: "%s"
      openai-compatibility:
        - name: p
          base-url: %s
          api-key-entries: [{api-key: k1}, {api-key: k2}, {api-key: k3}]
          models:
            - {name: up-model, alias: house}
            - {name: claude-backend, alias: claude-sonnet-4-5}
      """.formatted(METRICS_TOKEN, upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  private String keyOf(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    return upstream.lastRequest().bearerToken();
  }

  private String chat(Map<String, String> headers, String body) {
    HttpRequest.Builder request = client.request("/v1/chat/completions").header("Content-Type", "application/json");
    headers.forEach(request::header);
    return keyOf(client.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build()));
  }

  private String chatWithOpening(String firstQuestion) {
    return chat(Map.of(), "{\"model\":\"house\",\"messages\":[{\"role\":\"user\",\"content\":\"" + firstQuestion
        + "\"}]}");
  }

  @Test
  void aCodexSessionStaysOnOneKeyWhileOtherRequestsRotate() {
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));
    String body = "{\"model\":\"house\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    List<String> session = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      session.add(chat(Map.of("session_id", "codex-session-1"), body));
      others.add(chatWithOpening("question " + i));
    }

    assertEquals(1, session.stream().distinct().count(), "one key for the session: " + session);
    assertEquals(3, others.stream().distinct().count(), "the others rotate over all three: " + others);
  }

  @Test
  void claudeCodesSessionInItsMetadataKeepsItsKey() {
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));

    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      a.add(keyOf(client.post("/v1/messages", messages("session-a", i))));
      b.add(keyOf(client.post("/v1/messages", messages("session-b", i))));
    }

    assertEquals(1, a.stream().distinct().count(), a.toString());
    assertEquals(1, b.stream().distinct().count(), b.toString());
    assertNotEquals(a.get(0), b.get(0), "two sessions, taken in turn, start on different keys");
  }

  /** Claude Code's request of turn {@code turn} in session {@code session}: its user id names the session. */
  private static String messages(String session, int turn) {
    return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"metadata\":{\"user_id\":\"{\\\"device_id\\\":"
        + "\\\"dev-1\\\",\\\"session_id\\\":\\\"" + session + "\\\"}\"},\"messages\":[{\"role\":\"user\","
        + "\"content\":\"turn " + turn + "\"}]}";
  }

  @Test
  void aConversationWithoutIdsIsFollowedByItsOpeningFromItsSecondTurn() {
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));
    String turn1 = "{\"model\":\"house\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
        + "{\"role\":\"user\",\"content\":\"plan my trip\"}]}";
    List<String> turns = new ArrayList<>(List.of(turn1));
    for (String[] exchange : new String[][] {{"where to?", "Lisbon"}, {"when?", "May"}, {"budget?", "low"}}) {
      turns.add(turns.get(turns.size() - 1).replace("]}", ",{\"role\":\"assistant\",\"content\":\"" + exchange[0]
          + "\"},{\"role\":\"user\",\"content\":\"" + exchange[1] + "\"}]}"));
    }

    List<String> keys = new ArrayList<>();
    for (String turn : turns) {
      keys.add(chat(Map.of(), turn));
      chatWithOpening("unrelated " + keys.size()); // moves the rotation on
    }

    assertEquals(1, keys.subList(1, 4).stream().distinct().count(), "from the second turn on, one key: " + keys);
  }

  @Test
  void whenTheBoundKeyFailsTheSessionMovesToTheKeyThatAnswered() {
    String body = "{\"model\":\"house\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));
    String bound = chat(Map.of("X-Session-Id", "failing-over"), body);
    upstream.respondWith(r -> bound.equals(r.bearerToken())
        ? UpstreamResponse.json(500, OpenAiBodies.error("server_error", "down", null))
        : UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));

    String moved = chat(Map.of("X-Session-Id", "failing-over"), body);
    List<String> after = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      after.add(chat(Map.of("X-Session-Id", "failing-over"), body));
      chatWithOpening("other " + i);
    }

    assertNotEquals(bound, moved);
    assertEquals(List.of(moved, moved, moved), after);
    PrometheusScrape metrics = new PrometheusScrape(client.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
        .header("Authorization", "Bearer " + METRICS_TOKEN).GET().build()).body());
    assertTrue(metrics.sum("llmproxy_session_affinity_total", "outcome", "moved") >= 1, metrics.text());
    assertTrue(metrics.sum("llmproxy_session_affinity_total", "outcome", "kept") >= 3, metrics.text());
    assertTrue(metrics.sum("llmproxy_session_affinity_total", "outcome", "new") >= 1, metrics.text());
  }
}
