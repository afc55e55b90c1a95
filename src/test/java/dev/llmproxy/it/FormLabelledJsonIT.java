package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JSON sent with {@code Content-Type: application/x-www-form-urlencoded} (what {@code curl -d} sends without a
 * header) is read as JSON on every endpoint, also where the URL carries parameters ({@code ?key=}, {@code ?alt=sse}):
 * reading those must not let the container take the body as a form.
 */
class FormLabelledJsonIT {
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String GEMINI_BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      openai-compatibility:
        - name: fake
          base-url: %s
          api-key-entries: [{api-key: k1}]
          models: [{name: fake-model-1}]
      """.formatted(upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @Test
  void geminiWithTheKeyInTheUrlReadsAFormLabelledBodyAsJson() {
    HttpResponse<String> r = postForm("/v1beta/models/fake-model-1:generateContent?key=team-key-1", GEMINI_BODY);

    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"candidates\""), r.body());
  }

  @Test
  void geminiStreamsWithAltSseAndAFormLabelledBody() {
    HttpResponse<String> r = postForm("/v1beta/models/fake-model-1:streamGenerateContent?alt=sse&key=team-key-1",
        GEMINI_BODY);

    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), r.headers().toString());
    assertTrue(r.body().startsWith("data: "), r.body());
  }

  @Test
  void countTokensReadsAFormLabelledBody() {
    HttpResponse<String> r = postForm("/v1beta/models/fake-model-1:countTokens?key=team-key-1", GEMINI_BODY);

    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"totalTokens\""), r.body());
  }

  @Test
  void chatCompletionsWithTheKeyInTheUrlReadsAFormLabelledBody() {
    HttpResponse<String> r = postForm("/v1/chat/completions?key=team-key-1",
        "{\"model\":\"fake-model-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("chat.completion"), r.body());
  }

  private HttpResponse<String> postForm(String pathAndQuery, String body) {
    return client.send(HttpRequest.newBuilder(gateway.uri(pathAndQuery)).header("Content-Type", FORM)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }
}
