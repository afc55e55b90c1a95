package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Browser apps of the allowed origins can call /v1; pages of any other origin cannot read its answers. */
class CorsIT {
  private static final String ALLOWED = "https://chat.example.com";
  private static final String OTHER = "https://evil.example.net";
  private static final String BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> TestConfigs.oneProvider(upstream, """
      cors:
        allowed-origins: ["%s"]
      """.formatted(ALLOWED)));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @BeforeEach
  void answerEveryChat() {
    upstream.respondWith(r -> UpstreamResponse.json(OpenAiBodies.chatCompletion(r.model(), "ok")));
  }

  private HttpResponse<String> preflight(String origin) {
    return client.send(HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type")
        .build());
  }

  private HttpResponse<String> chatFrom(String origin, boolean withKey) {
    HttpRequest.Builder r = HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
        .header("Origin", origin).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY));
    if (withKey) {
      r.header("Authorization", "Bearer " + GatewayClient.CLIENT_KEY);
    }
    return client.send(r.build());
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  @Test
  void preflightFromAnAllowedOriginIsAnsweredWithoutAKeyOrAnUpstreamCall() {
    HttpResponse<String> response = preflight(ALLOWED);
    assertEquals(204, response.statusCode());
    assertEquals(ALLOWED, header(response, "Access-Control-Allow-Origin"));
    assertTrue(header(response, "Access-Control-Allow-Methods").contains("POST"));
    assertEquals("authorization, content-type", header(response, "Access-Control-Allow-Headers"));
    assertEquals("Origin", header(response, "Vary"));
    assertEquals(0, upstream.requests().size());
  }

  @Test
  void requestsFromAnAllowedOriginCarryTheOriginEvenWhenRefused() {
    HttpResponse<String> ok = chatFrom(ALLOWED, true);
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(ALLOWED, header(ok, "Access-Control-Allow-Origin"));
    assertEquals("Retry-After", header(ok, "Access-Control-Expose-Headers"));

    HttpResponse<String> refused = chatFrom(ALLOWED, false);
    assertEquals(401, refused.statusCode());
    assertEquals(ALLOWED, header(refused, "Access-Control-Allow-Origin"), "the browser app can read why");
  }

  @Test
  void otherOriginsGetNoCorsHeadersAndTheirPostsAreRefusedBeforeAnyUpstreamCall() throws Exception {
    HttpResponse<String> preflight = preflight(OTHER);
    assertFalse(preflight.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    assertFalse(preflight.headers().firstValue("Access-Control-Allow-Methods").isPresent());

    // A page may send a "simple" POST without asking first; the browser only hides the answer.
    HttpResponse<String> chat = chatFrom(OTHER, true);
    assertEquals(403, chat.statusCode());
    assertEquals("origin_not_allowed", new ObjectMapper().readTree(chat.body()).at("/error/code").asText());
    assertFalse(chat.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    assertEquals(0, upstream.requests().size(), "nothing was spent upstream");

    HttpResponse<String> models = client.send(HttpRequest.newBuilder(gateway.uri("/v1/models"))
        .header("Origin", OTHER).header("Authorization", "Bearer " + GatewayClient.CLIENT_KEY).build());
    assertEquals(200, models.statusCode(), "reads pass; without CORS headers the page cannot see them");
  }

  @Test
  void thePagesOfTheGatewaysOwnOriginAndClientsWithoutOriginArePlainRequests() {
    String own = gateway.baseUrl().replaceFirst("(https?://[^/]+).*", "$1");
    assertEquals(200, chatFrom(own, true).statusCode());
    assertEquals(200, client.chat("m").statusCode(), "SDKs and curl send no Origin");
  }
}
