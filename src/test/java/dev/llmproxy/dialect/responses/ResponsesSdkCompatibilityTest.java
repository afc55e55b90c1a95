package dev.llmproxy.dialect.responses;

import static dev.llmproxy.testing.TranslatorFixtures.chunks;
import static dev.llmproxy.testing.TranslatorFixtures.json;
import static dev.llmproxy.testing.TranslatorFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmproxy.testing.RecordingEventSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * What the translators write is what {@code openai-java} (the SDK the ITs use) accepts with its strict
 * validation on: every required field present, with its type, for the Response and each stream event.
 */
class ResponsesSdkCompatibilityTest {
  private static final ObjectMapper SDK = ObjectMappers.jsonMapper();

  @Test
  void theAnswerIsAValidSdkResponse() throws IOException {
    byte[] answer = ResponsesResponseTranslator.toResponse(json("/dialect/chat/completion-tools.json"),
        TestContexts.codex());
    Response response = SDK.readValue(answer, Response.class);
    assertDoesNotThrow(() -> response.validate());
    assertEquals(4, response.output().size());
    assertEquals(1024, response.usage().orElseThrow().inputTokensDetails().cachedTokens());
  }

  @ParameterizedTest
  @ValueSource(strings = {"stream-text", "stream-reasoning-tools", "stream-parallel-get-weather"})
  void everyStreamEventIsAValidSdkEvent(String fixture) throws IOException {
    ResponsesStreamTranslator translator = new ResponsesStreamTranslator(TestContexts.codex());
    RecordingEventSink sink = new RecordingEventSink();
    chunks("/dialect/chat/" + fixture + ".sse").forEach(chunk -> translator.onChunk(chunk, sink));
    translator.onEnd(sink);
    for (JsonNode data : sink.data()) {
      ResponseStreamEvent event = SDK.treeToValue(data, ResponseStreamEvent.class);
      assertDoesNotThrow(() -> event.validate(), data.get("type").asText());
    }
  }

  @Test
  void theFailedEventIsAValidSdkEvent() throws IOException {
    ResponsesStreamTranslator translator = new ResponsesStreamTranslator(TestContexts.codex());
    RecordingEventSink sink = new RecordingEventSink();
    translator.onChunk(parse("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}"), sink);
    translator.onFailure(502, "Upstream provider unavailable.", sink);
    ResponseStreamEvent event = SDK.readValue(
        sink.events().get(sink.events().size() - 1).data().getBytes(StandardCharsets.UTF_8), ResponseStreamEvent.class);
    assertDoesNotThrow(() -> event.validate());
    assertEquals("Upstream provider unavailable.",
        event.asFailed().response().error().orElseThrow().message());
  }
}
