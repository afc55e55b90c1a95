package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official OpenAI Java SDK, pointed at the gateway the way users point Cursor or their apps at it. */
class OpenAiSdkIT {
  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      openai-compatibility:
        - name: groq
          prefix: gq
          base-url: %s
          api-key-entries: [{api-key: gsk-upstream}]
          models:
            - {name: llama-3.3-70b-versatile, alias: groq-llama}
      """.formatted(upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final OpenAIClient sdk = OpenAIOkHttpClient.builder()
      .baseUrl(gateway.baseUrl() + "/v1").apiKey("team-key-1").maxRetries(0).build();

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  private static ChatCompletionCreateParams params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build();
  }

  @Test
  void sdkNonStreamingChat() {
    ChatCompletion completion = sdk.chat().completions().create(params("gq/groq-llama"));
    assertEquals("llama-3.3-70b-versatile", completion.model());
    assertTrue(completion.choices().get(0).message().content().isPresent());
    assertEquals("llama-3.3-70b-versatile", upstream.lastRequest().model());
    assertEquals("Bearer gsk-upstream", upstream.lastRequest().header("Authorization"));
  }

  @Test
  void sdkStreamingChatReceivesEveryChunk() {
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(params("groq-llama"))) {
      List<ChatCompletionChunk> chunks = stream.stream().collect(Collectors.toList());
      assertEquals(3, chunks.size());
      String text = chunks.stream().flatMap(c -> c.choices().stream())
          .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
      assertTrue(!text.isEmpty(), "content arrived");
    }
    assertTrue(upstream.lastRequest().isStream());
  }

  @Test
  void sdkListsAndRetrievesModels() {
    List<String> ids = sdk.models().list().data().stream().map(Model::id).toList();
    assertEquals(List.of("gq/groq-llama", "groq-llama"), ids);
    // A prefixed id would be sent as gq%2Fgroq-llama, which Jetty and Tomcat reject by default (see README).
    assertEquals("groq", sdk.models().retrieve("groq-llama").ownedBy());
  }

  @Test
  void sdkSeesUnknownModelAsNotFound() {
    assertThrows(NotFoundException.class, () -> sdk.chat().completions().create(params("nope")));
    assertTrue(upstream.requests().isEmpty());
  }
}
