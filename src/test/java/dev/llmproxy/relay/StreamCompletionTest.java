package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.buffers.BufferAccount;
import dev.llmproxy.dialect.UpstreamProtocol;
import dev.llmproxy.stream.SseEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class StreamCompletionTest {

  @Test
  void aChatStreamIsCompleteAfterAFinishReason() {
    StreamCompletion completion = new StreamCompletion(UpstreamProtocol.CHAT);
    feed("data: {\"choices\":[{\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n", completion::noteCompletion);
    assertFalse(completion.isComplete());

    feed("data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n", completion::noteCompletion);
    assertTrue(completion.isComplete());

    feed("data: {\"choices\":[],\"usage\":{\"total_tokens\":3}}\n\n", completion::noteCompletion);
    assertTrue(completion.isComplete(), "an event after the finish keeps it complete");
  }

  @Test
  void aStreamIsCompleteAfterDone() {
    StreamCompletion completion = new StreamCompletion(UpstreamProtocol.CHAT);
    completion.onDone();
    assertTrue(completion.isComplete());
  }

  @Test
  void aResponsesStreamIsCompleteOnlyAfterItsClosingEvent() {
    StreamCompletion completion = new StreamCompletion(UpstreamProtocol.RESPONSES);
    feed("event: response.output_text.delta\ndata: {\"finish_reason\":\"stop\"}\n\n", completion::noteCompletion);
    assertFalse(completion.isComplete(), "a finish_reason is not how the Responses API ends");

    feed("event: response.incomplete\ndata: {\"response\":{}}\n\n", completion::noteCompletion);
    assertTrue(completion.isComplete());
  }

  @Test
  void errorEventsAreRecognisedByNameOrByTheirErrorObject() {
    List<Boolean> errors = new ArrayList<>();
    Consumer<SseEvent> judge = event -> errors.add(StreamCompletion.isErrorEvent(event));
    feed("event: error\ndata: {\"message\":\"overloaded\"}\n\n", judge);
    feed("event: response.failed\ndata: {\"response\":{}}\n\n", judge);
    feed("data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n", judge);
    feed("data: {\"choices\":[{\"delta\":{\"content\":\"\\\"error\\\"\"}}],\"error\":null}\n\n", judge);
    assertEquals(List.of(true, true, true, false), errors);
  }

  private static void feed(String text, Consumer<SseEvent> onEvent) {
    StreamCompletion.newParser(onEvent::accept, 1 << 20, BufferAccount.unlimited())
        .feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }
}
