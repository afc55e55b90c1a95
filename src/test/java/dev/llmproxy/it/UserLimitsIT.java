package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.it.sso.HeaderSsoFilter;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Users the container signs in ({@code client-auth: both}) get limits too: by user name, else by role (each user
 * counted on their own); a machine key beside them keeps its own.
 */
class UserLimitsIT {
  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = new FakeUpstream();

  @RegisterExtension
  @Order(2)
  static final GatewayServer gateway = GatewayServer.builder().filter(HeaderSsoFilter.class, "/*").config(() -> """
      client-auth: both
      client-role: staff
      api-keys: ["machine-key-00000001"]
      user-limits:
        - {user: alice, rpm: 1}
        - {role: interns, models: ["chat-a"], rpm: 2}
      openai-compatibility:
        - name: p
          base-url: %s
          api-key-entries: [{api-key: sk-upstream}]
          models: [{name: m1, alias: chat-a}, {name: m2, alias: chat-b}]
      """.formatted(upstream.baseUrl())).build();

  private static HttpResponse<String> as(String user, String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(20))
        .header(HeaderSsoFilter.HEADER, user).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return new GatewayClient(gateway).send(request.build());
  }

  private static int chat(String user, String model) {
    return as(user, "POST", "/v1/chat/completions", "{\"model\":\"" + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode();
  }

  @Test
  void aUserEntryLimitsThatUser() {
    MinuteWindows.awaitRoomFor(Duration.ofSeconds(10));
    assertEquals(200, chat("alice; staff", "chat-b"));
    HttpResponse<String> refused = as("alice; staff", "POST", "/v1/chat/completions",
        "{\"model\":\"chat-b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(429, refused.statusCode());
    assertTrue(refused.body().contains("user alice"), refused.body());
    assertTrue(refused.headers().firstValue("Retry-After").isPresent());
    assertEquals(200, chat("carol; staff", "chat-b"), "users without an entry are not limited");
    assertEquals(200, chat("carol; staff", "chat-b"));
    assertEquals(200, new GatewayClient(gateway, "machine-key-00000001").chat("chat-b").statusCode());
  }

  @Test
  void aRoleEntryLimitsEachUserWithTheRoleOnTheirOwn() {
    MinuteWindows.awaitRoomFor(Duration.ofSeconds(10));
    assertEquals(403, chat("bob; staff,interns", "chat-b"));
    String models = as("bob; staff,interns", "GET", "/v1/models", null).body();
    assertTrue(models.contains("chat-a") && !models.contains("chat-b"), models);
    assertEquals(200, chat("bob; staff,interns", "chat-a"));
    assertEquals(200, chat("bob; staff,interns", "chat-a"));
    assertEquals(429, chat("bob; staff,interns", "chat-a"));
    assertEquals(200, chat("dan; staff,interns", "chat-a"), "dan has his own count");
    assertFalse(as("dan; staff,interns", "GET", "/v1/models", null).body().contains("chat-b"));
  }
}
