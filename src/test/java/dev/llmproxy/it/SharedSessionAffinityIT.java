package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code routing.session-affinity} across a fleet sharing state through Redis: a session bound on one instance is
 * served with the same key by the others, as behind a load balancer that spreads its requests.
 */
class SharedSessionAffinityIT {
  private static RedisFleet fleet;

  @BeforeAll
  static void startFleet() {
    fleet = RedisFleet.start("it-sessions:", "routing: {session-affinity: true}\n");
    fleet.awaitSharing(Duration.ofSeconds(15));
    fleet.upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "hi")));
  }

  @AfterAll
  static void stopFleet() {
    fleet.close();
  }

  private static String keyOf(GatewayServer gateway, String session) {
    GatewayClient client = new GatewayClient(gateway);
    HttpRequest.Builder request = client.request("/v1/chat/completions").header("Content-Type", "application/json");
    if (session != null) {
      request.header("X-Session-Id", session);
    }
    HttpResponse<String> r = client.send(request.POST(HttpRequest.BodyPublishers.ofString(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build());
    assertEquals(200, r.statusCode(), r.body());
    return fleet.upstream.lastRequest().bearerToken();
  }

  private static int bindings(GatewayServer gateway) {
    return RedisFleet.managementJson(gateway, "upstream-status").path("session-bindings").asInt();
  }

  @Test
  void aSessionBoundOnOneInstanceKeepsItsKeyOnTheOthers() throws InterruptedException {
    // Every instance's rotation starts at the same first key, and b and c serve nothing until the check. On a, a
    // request without a session and then one with it: the session binds to the second key, where b and c, left
    // alone, would have sent it to the first. A subscription still being made when a announces would miss it (soft
    // state), so a fresh session is tried until b and c have heard of one.
    String session = null;
    String firstKey = null;
    String bound = null;
    for (int attempt = 0; attempt < 5 && session == null; attempt++) {
      int onB = bindings(fleet.b);
      int onC = bindings(fleet.c);
      firstKey = keyOf(fleet.a, null);
      bound = keyOf(fleet.a, "spread-over-the-fleet-" + attempt);
      assertNotEquals(firstKey, bound, "a's rotation moved on");
      if (heardWithin(Duration.ofSeconds(3), onB, onC)) {
        session = "spread-over-the-fleet-" + attempt;
      }
    }
    assertNotNull(session, "b and c heard of a's bindings");

    assertEquals(bound, keyOf(fleet.b, session), "b's rotation would have sent it to " + firstKey);
    assertEquals(bound, keyOf(fleet.c, session));
    assertEquals(bound, keyOf(fleet.a, session));
  }

  /** Whether b and c each hold more bindings than {@code onB} and {@code onC} within {@code within}. */
  private static boolean heardWithin(Duration within, int onB, int onC) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      if (bindings(fleet.b) > onB && bindings(fleet.c) > onC) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}
