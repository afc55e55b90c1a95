package dev.llmproxy.dialect.gemini;

import static dev.llmproxy.testing.TranslatorFixtures.chunks;
import static dev.llmproxy.testing.TranslatorFixtures.json;
import static dev.llmproxy.testing.TranslatorFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.llmproxy.buffers.BufferBudgetExceededException;
import dev.llmproxy.dialect.EventSink;
import dev.llmproxy.testing.GeminiStreamGrammar;
import dev.llmproxy.testing.RecordingEventSink;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §3, stream: chat chunks become GenerateContentResponse objects. */
class GeminiStreamTranslatorTest {
  private final GeminiStreamTranslator translator = new GeminiStreamTranslator(GeminiResponseTranslatorTest.CONTEXT);
  private final RecordingEventSink sink = new RecordingEventSink();

  private void feed(String... chunks) {
    for (String chunk : chunks) {
      translator.onChunk(parse(chunk), sink);
    }
  }

  private GeminiStreamGrammar.Outcome end() {
    translator.onEnd(sink);
    return GeminiStreamGrammar.checkEvents(sink.events());
  }

  private static String delta(String delta) {
    return "{\"model\":\"up\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}";
  }

  private static String finish(String delta, String reason) {
    return "{\"model\":\"up\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":\"" + reason
        + "\"}]}";
  }

  private static String call(int index, String id, String name, String arguments) {
    return "{\"tool_calls\":[{\"index\":" + index + (id == null ? "" : ",\"id\":\"" + id + "\"")
        + ",\"function\":{" + (name == null ? "" : "\"name\":\"" + name + "\",") + "\"arguments\":"
        + JsonNodeFactory.instance.textNode(arguments) + "}}]}";
  }

  @Test
  void reasoningTextAndToolCallsBecomeTheGoldenObjects() {
    chunks("/dialect/chat/stream-reasoning-tools.sse").forEach(chunk -> translator.onChunk(chunk, sink));
    translator.onEnd(sink);
    assertEquals(json("/dialect/gemini/events-reasoning-tools.json"), sink.asJson());
    GeminiStreamGrammar.Outcome outcome = GeminiStreamGrammar.checkEvents(sink.events());
    assertEquals("The test expects addition.", outcome.thoughts());
    assertEquals("Running the tests, then patching.", outcome.text());
    assertEquals(1024, outcome.usageMetadata().get("cachedContentTokenCount").asInt());
    assertEquals(120, outcome.usageMetadata().get("thoughtsTokenCount").asInt());
  }

  @Test
  void textDeltasGoOutAsTheyComeAsUnnamedObjects() {
    feed(delta("{\"role\":\"assistant\",\"content\":\"\"}"), delta("{\"content\":\"Hel\"}"));
    assertEquals(1, sink.events().size());
    assertNull(sink.names().get(0));
    assertEquals("Hel", sink.data().get(0).get("candidates").get(0).get("content").get("parts").get(0).get("text")
        .asText());
    feed(delta("{\"content\":\"lo\"}"));
    assertEquals(2, sink.events().size());
  }

  @Test
  void aFinishChunkCarryingTheLastDeltaLosesNothing() {
    // CLIProxyAPI emits the text of such a chunk but drops its finishReason.
    feed(delta("{\"content\":\"The answer is \"}"), finish("{\"content\":\"42.\"}", "stop"),
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4,\"total_tokens\":9}}");
    GeminiStreamGrammar.Outcome outcome = end();
    assertEquals("The answer is 42.", outcome.text());
    assertEquals("STOP", outcome.finishReason());
    assertEquals(9, outcome.usageMetadata().get("totalTokenCount").asInt());
  }

  @Test
  void aFinishChunkCarryingTheLastArgumentsLosesNothing() {
    feed(delta(call(0, "c1", "f", "{\"a\"")), finish(call(0, null, null, ":1}"), "tool_calls"));
    GeminiStreamGrammar.Outcome outcome = end();
    assertEquals(parse("{\"id\":\"c1\",\"name\":\"f\",\"args\":{\"a\":1}}"), outcome.functionCalls().get(0));
    assertEquals("STOP", outcome.finishReason());
  }

  @Test
  void parallelCallsGoOutInUpstreamOrderOnceTheStreamMovesOn() {
    List<JsonNode> chunks = chunks("/dialect/chat/stream-parallel-get-weather.sse");
    chunks.subList(0, 4).forEach(chunk -> translator.onChunk(chunk, sink));
    assertEquals(0, sink.events().size(), "Tokyo started, but Paris's arguments may still grow");
    chunks.subList(4, chunks.size()).forEach(chunk -> translator.onChunk(chunk, sink));
    GeminiStreamGrammar.Outcome outcome = end();
    assertEquals(List.of("call_p", "call_t"), outcome.functionCalls().stream().map(c -> c.get("id").asText()).toList());
    assertEquals("Paris", outcome.functionCalls().get(0).get("args").get("city").asText());
    assertEquals("Tokyo", outcome.functionCalls().get(1).get("args").get("city").asText());
  }

  @Test
  void interleavedFragmentsOfParallelCallsEachReachTheirOwnCall() {
    feed(delta("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":{\"name\":\"read\",\"arguments\":\"\"}},"
            + "{\"index\":1,\"id\":\"call_2\",\"function\":{\"name\":\"read\",\"arguments\":\"\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"path\\\":\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"path\\\":\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"b.txt\\\"}\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"a.txt\\\"}\"}}]}"));
    GeminiStreamGrammar.Outcome outcome = end();
    assertEquals(List.of("call_1", "call_2"), outcome.functionCalls().stream().map(c -> c.get("id").asText()).toList());
    assertEquals("a.txt", outcome.functionCalls().get(0).get("args").get("path").asText());
    assertEquals("b.txt", outcome.functionCalls().get(1).get("args").get("path").asText());
  }

  @Test
  void textAfterACallCompletesTheCallFirst() {
    feed(delta(call(0, "c1", "f", "{}")), delta("{\"content\":\"done\"}"));
    JsonNode parts = sink.data().get(0).get("candidates").get(0).get("content").get("parts");
    assertEquals("f", parts.get(0).get("functionCall").get("name").asText());
    assertEquals("done", parts.get(1).get("text").asText());
  }

  @Test
  void usageMetadataAndFinishReasonOnlyOnTheLastObject() {
    chunks("/dialect/chat/stream-text.sse").forEach(chunk -> translator.onChunk(chunk, sink));
    GeminiStreamGrammar.Outcome outcome = end();
    assertEquals("Hello!", outcome.text());
    assertEquals(15, outcome.usageMetadata().get("totalTokenCount").asInt());
    List<JsonNode> data = sink.data();
    for (JsonNode object : data.subList(0, data.size() - 1)) {
      assertFalse(object.has("usageMetadata"));
      assertFalse(object.get("candidates").get(0).has("finishReason"));
    }
  }

  @Test
  void lengthAndContentFilterMapToMaxTokensAndSafety() {
    feed(finish("{\"content\":\"x\"}", "length"));
    assertEquals("MAX_TOKENS", end().finishReason());
    GeminiStreamTranslator filtered = new GeminiStreamTranslator(GeminiResponseTranslatorTest.CONTEXT);
    RecordingEventSink other = new RecordingEventSink();
    filtered.onChunk(parse(finish("{}", "content_filter")), other);
    filtered.onEnd(other);
    assertEquals("SAFETY", GeminiStreamGrammar.checkEvents(other.events()).finishReason());
  }

  @Test
  void argumentsWithTextAfterTheObjectMakeAMalformedFunctionCall() {
    feed(finish(call(0, "c1", "f", "{\"a\":1} trailing junk"), "tool_calls"));
    assertEquals("MALFORMED_FUNCTION_CALL", end().finishReason());
  }

  @Test
  void argumentsThatAreNoJsonObjectMakeAMalformedFunctionCall() {
    feed(finish(call(0, "c1", "f", "{\"a\":"), "tool_calls"));
    GeminiStreamGrammar.Outcome outcome = end();
    assertEquals("MALFORMED_FUNCTION_CALL", outcome.finishReason());
    assertTrue(outcome.functionCalls().isEmpty());
  }

  @Test
  void aCallWithoutIdOrNameStillGoesOut() {
    feed(delta(call(0, null, "f", "{}")), delta(call(1, null, null, "{}")));
    List<JsonNode> calls = end().functionCalls();
    assertEquals("call_r0123456789abcdef01234567_0_0", calls.get(0).get("id").asText());
    assertEquals("tool_1", calls.get(1).get("name").asText());
  }

  @Test
  void aFailureEndsTheStreamWithAnErrorObject() {
    feed(delta("{\"content\":\"Partial\"}"));
    translator.onFailure(429, "Too many requests", sink);
    GeminiStreamGrammar.Outcome outcome = GeminiStreamGrammar.checkEvents(sink.events());
    assertEquals(parse("{\"code\":429,\"message\":\"Too many requests\",\"status\":\"RESOURCE_EXHAUSTED\"}"),
        outcome.error());
    assertEquals("Partial", outcome.text());
  }

  @Test
  void startedOnlyOnceSomethingWasSent() {
    feed(delta("{\"role\":\"assistant\",\"content\":\"\"}"), delta(call(0, "c1", "f", "{")));
    assertFalse(translator.started(), "a role chunk or an unfinished call sends nothing: failover is still possible");
    feed(delta("{\"content\":\"x\"}"));
    assertTrue(translator.started());
  }

  @Test
  void anEmptyStreamEndsWithOneStopObject() {
    GeminiStreamGrammar.Outcome outcome = end();
    assertEquals(1, sink.events().size());
    assertEquals("STOP", outcome.finishReason());
    assertNull(outcome.usageMetadata());
  }

  @Test
  void eachChoiceIsACandidate() {
    feed("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}},{\"index\":1,\"delta\":{\"content\":\"b\"}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"},{\"index\":1,\"delta\":{},"
            + "\"finish_reason\":\"length\"}]}");
    end();
    JsonNode last = sink.data().get(sink.data().size() - 1).get("candidates");
    assertEquals("STOP", last.get(0).get("finishReason").asText());
    assertEquals("MAX_TOKENS", last.get(1).get("finishReason").asText());
    assertEquals(2, sink.data().get(0).get("candidates").size());
  }

  @Test
  void aFailureMayFollowAnEndThatThrewButOnlyOnce() {
    feed(delta("{\"content\":\"Partial\"}"));
    EventSink refusing = (name, json) -> {
      throw new BufferBudgetExceededException(json.length);
    };
    assertThrows(BufferBudgetExceededException.class, () -> translator.onEnd(refusing));
    translator.onFailure(503, "busy", sink);
    GeminiStreamGrammar.Outcome outcome = GeminiStreamGrammar.checkEvents(sink.events());
    assertEquals(503, outcome.error().get("code").asInt());
    assertThrows(IllegalStateException.class, () -> translator.onFailure(503, "again", sink));
  }

  @Test
  void nothingMayFollowTheEnd() {
    translator.onEnd(sink);
    assertThrows(IllegalStateException.class, () -> translator.onChunk(parse(delta("{}")), sink));
    assertThrows(IllegalStateException.class, () -> translator.onFailure(500, "x", sink));
  }
}
