package dev.llmproxy.dialect.responses;

import static dev.llmproxy.testing.TranslatorFixtures.chunks;
import static dev.llmproxy.testing.TranslatorFixtures.json;
import static dev.llmproxy.testing.TranslatorFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.buffers.BufferBudgetExceededException;
import dev.llmproxy.dialect.EventSink;
import dev.llmproxy.testing.RecordingEventSink;
import dev.llmproxy.testing.ResponsesEventGrammar;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §2, stream: chat chunks become the Responses API's named events. */
class ResponsesStreamTranslatorTest {
  private final ResponsesStreamTranslator translator = new ResponsesStreamTranslator(TestContexts.codex());
  private final RecordingEventSink sink = new RecordingEventSink();

  private void feed(List<JsonNode> chunks) {
    chunks.forEach(chunk -> translator.onChunk(chunk, sink));
  }

  private void feed(String... chunks) {
    for (String chunk : chunks) {
      translator.onChunk(parse(chunk), sink);
    }
  }

  private ResponsesEventGrammar.Outcome end() {
    translator.onEnd(sink);
    return ResponsesEventGrammar.check(sink.events());
  }

  private List<dev.llmproxy.testing.SseEvent> endEvents() {
    translator.onEnd(sink);
    return sink.events();
  }

  private static String delta(String delta) {
    return "{\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}";
  }

  private static String finish(String delta, String reason) {
    return "{\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":\"" + reason + "\"}]}";
  }

  @Test
  void aTextStreamBecomesTheGoldenEventSequence() {
    feed(chunks("/dialect/chat/stream-text.sse"));
    translator.onEnd(sink);
    assertEquals(json("/dialect/responses/events-text.json"), sink.asJson());
    assertEquals("Hello!", ResponsesEventGrammar.check(sink.events()).text());
  }

  @Test
  void reasoningTextAndToolCallsBecomeTheGoldenEventSequence() {
    feed(chunks("/dialect/chat/stream-reasoning-tools.sse"));
    translator.onEnd(sink);
    assertEquals(json("/dialect/responses/events-reasoning-tools.json"), sink.asJson());
    ResponsesEventGrammar.Outcome outcome = ResponsesEventGrammar.check(sink.events());
    assertEquals(List.of("reasoning", "message", "function_call", "custom_tool_call"),
        outcome.items().stream().map(item -> item.get("type").asText()).toList());
  }

  @Test
  void theFinalEventWaitsForTheUsageChunkAndCarriesCachedAndReasoningTokens() {
    List<JsonNode> chunks = chunks("/dialect/chat/stream-reasoning-tools.sse");
    feed(chunks.subList(0, chunks.size() - 1));
    assertFalse(sink.names().contains("response.completed"), "nothing ends before the upstream does");
    feed(chunks.subList(chunks.size() - 1, chunks.size()));
    JsonNode usage = end().response().get("usage");
    assertEquals(1200, usage.get("input_tokens").asInt());
    assertEquals(1024, usage.get("input_tokens_details").get("cached_tokens").asInt());
    assertEquals(120, usage.get("output_tokens_details").get("reasoning_tokens").asInt());
    assertEquals(1500, usage.get("total_tokens").asInt());
  }

  @Test
  void parallelToolCallsAreItemsInUpstreamOrderWithCompleteArguments() {
    feed(chunks("/dialect/chat/stream-parallel-get-weather.sse"));
    ResponsesEventGrammar.Outcome outcome = end();
    List<JsonNode> calls = outcome.items("function_call");
    assertEquals(2, calls.size());
    assertEquals("call_p", calls.get(0).get("call_id").asText());
    assertEquals("{\"city\": \"Paris\"}", calls.get(0).get("arguments").asText());
    assertEquals("call_t", calls.get(1).get("call_id").asText());
    assertEquals("{\"city\": \"Tokyo\"}", calls.get(1).get("arguments").asText());
    assertEquals("response.completed", outcome.finalType());
  }

  @Test
  void interleavedFragmentsOfParallelCallsEachReachTheirOwnCallBeforeAnyIsDone() {
    feed(delta("""
        {"tool_calls":[{"index":0,"id":"call_1","function":{"name":"read","arguments":""}},\
        {"index":1,"id":"call_2","function":{"name":"read","arguments":""}}]}"""),
        delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"path\\\":\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"path\\\":\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"b.txt\\\"}\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"a.txt\\\"}\"}}]}"));
    assertFalse(sink.names().contains("response.output_item.done"), "a call may still grow until the stream moves on");
    List<JsonNode> calls = end().items("function_call"); // the grammar checks each delta against its own item
    assertEquals("{\"path\":\"a.txt\"}", calls.get(0).get("arguments").asText());
    assertEquals("{\"path\":\"b.txt\"}", calls.get(1).get("arguments").asText());
  }

  @Test
  void callsWithoutAnIndexButEachWithItsOwnIdAreTwoCalls() {
    feed(delta("{\"tool_calls\":[{\"id\":\"cA\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"i\\\":1}\"}}]}"),
        delta("{\"tool_calls\":[{\"id\":\"cB\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"i\\\":2}\"}}]}"));
    List<JsonNode> calls = end().items("function_call");
    assertEquals(List.of("cA", "cB"), calls.stream().map(call -> call.get("call_id").asText()).toList());
    assertEquals("{\"i\":2}", calls.get(1).get("arguments").asText());
  }

  @Test
  void aCallCutByTheLengthLimitIsListedIncompleteAndNeverDone() {
    feed(delta("{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\"}}]}"),
        finish("{}", "length"));
    ResponsesEventGrammar.Outcome outcome = ResponsesEventGrammar.check(endEvents());
    assertEquals("response.incomplete", outcome.finalType());
    assertEquals(List.of(), outcome.items(), "no done event: a client runs a call once it is done");
    JsonNode listed = outcome.response().get("output").get(0);
    assertEquals("incomplete", listed.get("status").asText());
    assertEquals("{\"a\":", listed.get("arguments").asText());
  }

  @Test
  void argumentsStreamAsDeltasWhileTheirItemIsOpen() {
    feed(chunks("/dialect/chat/stream-parallel-get-weather.sse"));
    end();
    List<String> deltas = sink.data().stream()
        .filter(data -> data.get("type").asText().equals("response.function_call_arguments.delta"))
        .map(data -> data.get("delta").asText()).toList();
    assertEquals(List.of("{\"city\": \"Pa", "ris\"}", "{\"city\": \"To", "kyo\"}"), deltas);
  }

  @Test
  void aFinishChunkCarryingTheLastDeltaLosesNothing() {
    feed(delta("{\"content\":\"The answer is \"}"), finish("{\"content\":\"42.\"}", "stop"));
    assertEquals("The answer is 42.", end().text());
  }

  @Test
  void aFinishChunkCarryingTheLastArgumentsLosesNothing() {
    RecordingEventSink tools = new RecordingEventSink();
    ResponsesStreamTranslator other = new ResponsesStreamTranslator(TestContexts.codex());
    other.onChunk(parse(delta("""
        {"tool_calls":[{"index":0,"id":"c1","function":{"name":"f","arguments":"{\\"a\\""}}]}""")), tools);
    other.onChunk(parse(finish("""
        {"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]}""", "tool_calls")), tools);
    other.onEnd(tools);
    assertEquals("{\"a\":1}", ResponsesEventGrammar.check(tools.events()).items().get(0).get("arguments").asText());
  }

  @Test
  void lengthEndsInResponseIncompleteWithAnIncompleteMessage() {
    feed(delta("{\"content\":\"Once upon\"}"), finish("{}", "length"));
    ResponsesEventGrammar.Outcome outcome = end();
    assertEquals("response.incomplete", outcome.finalType());
    assertEquals("max_output_tokens", outcome.response().get("incomplete_details").get("reason").asText());
    assertEquals("incomplete", outcome.items().get(0).get("status").asText());
  }

  @Test
  void contentFilterEndsInResponseIncomplete() {
    feed(delta("{\"content\":\"I\"}"), finish("{}", "content_filter"));
    ResponsesEventGrammar.Outcome outcome = end();
    assertEquals("response.incomplete", outcome.finalType());
    assertEquals("content_filter", outcome.response().get("incomplete_details").get("reason").asText());
  }

  @Test
  void aFailureAfterTheFirstEventIsResponseFailedNeverASilentClose() {
    feed(delta("{\"content\":\"Partial\"}"));
    translator.onFailure(502, "Upstream provider unavailable: connection reset", sink);
    ResponsesEventGrammar.Outcome outcome = ResponsesEventGrammar.check(sink.events());
    assertEquals("response.failed", outcome.finalType());
    JsonNode response = outcome.response();
    assertEquals("failed", response.get("status").asText());
    assertEquals("server_error", response.get("error").get("code").asText());
    assertEquals("Upstream provider unavailable: connection reset", response.get("error").get("message").asText());
    assertFalse(sink.names().contains("response.completed"));
  }

  @Test
  void aFailureClosesTheOpenMessageAsIncompleteAndTheFailedResponseListsIt() {
    feed(delta("{\"content\":\"Par\"}"), delta("{\"content\":\"tial\"}"));
    translator.onFailure(502, "Upstream provider unavailable: connection reset", sink);
    List<String> names = sink.names();
    assertEquals(List.of("response.output_text.done", "response.content_part.done", "response.output_item.done",
        "response.failed"), names.subList(names.size() - 4, names.size()));
    ResponsesEventGrammar.Outcome outcome = ResponsesEventGrammar.check(sink.events());
    JsonNode message = outcome.items().get(0);
    assertEquals("incomplete", message.get("status").asText());
    assertEquals("Partial", outcome.text());
    assertEquals(1, outcome.response().get("output").size());
    assertEquals(message, outcome.response().get("output").get(0),
        "the failed Response lists what was produced, as its done event said");
  }

  @Test
  void aFailureKeepsTheItemsAlreadyDoneAsTheyWere() {
    feed(delta("{\"reasoning_content\":\"Think.\"}"), delta("{\"content\":\"Ans\"}"));
    translator.onFailure(502, "cut", sink);
    JsonNode output = ResponsesEventGrammar.check(sink.events()).response().get("output");
    assertEquals(2, output.size());
    assertEquals("reasoning", output.get(0).get("type").asText());
    assertEquals("Think.", output.get(0).get("summary").get(0).get("text").asText());
    assertEquals("incomplete", output.get(1).get("status").asText());
  }

  @Test
  void aCallCutByAFailureIsListedIncompleteButNeverDoneSoNoClientRunsIt() {
    feed(delta("{\"content\":\"Checking.\"}"),
        delta("""
            {"tool_calls":[{"index":0,"id":"c1","function":{"name":"shell","arguments":"{\\"cmd"}}]}"""));
    translator.onFailure(502, "cut", sink);
    ResponsesEventGrammar.Outcome outcome = ResponsesEventGrammar.check(sink.events());
    assertEquals(List.of("message"), outcome.items().stream().map(item -> item.get("type").asText()).toList(),
        "only the message got its done event");
    JsonNode call = outcome.response().get("output").get(1);
    assertEquals("function_call", call.get("type").asText());
    assertEquals("incomplete", call.get("status").asText());
    assertEquals("c1", call.get("call_id").asText());
    assertEquals("{\"cmd", call.get("arguments").asText());
    assertEquals("completed", outcome.response().get("output").get(0).get("status").asText(),
        "the message was done before the call opened");
  }

  @Test
  void aRateLimitFailureSaysRateLimitExceeded() {
    feed(delta("{\"content\":\"x\"}"));
    translator.onFailure(429, "slow down", sink);
    assertEquals("rate_limit_exceeded",
        sink.data().get(sink.data().size() - 1).get("response").get("error").get("code").asText());
  }

  @Test
  void aFailureBeforeAnyEventIsOneResponseFailed() {
    translator.onFailure(504, "Upstream provider timed out.", sink);
    assertEquals(List.of("response.failed"), sink.names());
    assertEquals("response.failed", ResponsesEventGrammar.check(sink.events()).finalType());
  }

  @Test
  void startedOnlyWithTheFirstOutputSoARoleChunkLeavesFailoverOpen() {
    feed(delta("{\"role\":\"assistant\",\"content\":\"\"}"));
    assertFalse(translator.started());
    assertEquals(List.of(), sink.names());
    feed(delta("{\"content\":\"Hi\"}"));
    assertTrue(translator.started());
    assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta"), sink.names());
  }

  @Test
  void aToolCallStartsTheStreamOnceItsNameIsKnown() {
    feed(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\"}}]}"));
    assertFalse(translator.started());
    feed(delta("{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"}\"}}]}"));
    assertEquals("response.created", sink.names().get(0));
    assertEquals("{}", end().items().get(0).get("arguments").asText());
  }

  @Test
  void anEmptyStreamStillCompletes() {
    ResponsesEventGrammar.Outcome outcome = end();
    assertEquals(List.of("response.created", "response.in_progress", "response.completed"), sink.names());
    assertEquals(0, outcome.items().size());
    assertTrue(outcome.response().get("usage").isNull());
  }

  @Test
  void argumentsThatCameBeforeTheNameGoOutWhenTheItemOpens() {
    feed(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"q\\\"\"}}]}"),
        delta("""
            {"tool_calls":[{"index":0,"id":"c9","function":{"name":"search","arguments":":\\"x\\"}"}}]}"""));
    ResponsesEventGrammar.Outcome outcome = end();
    assertEquals("{\"q\":\"x\"}", outcome.items().get(0).get("arguments").asText());
    assertEquals("c9", outcome.items().get(0).get("call_id").asText());
  }

  @Test
  void aCallWithoutIdOrNameIsStillAnnouncedAtTheEnd() {
    feed(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}"));
    List<JsonNode> items = end().items();
    assertEquals("g", items.get(0).get("name").asText());
    assertEquals("call_0123456789abcdef_0", items.get(0).get("call_id").asText());
    assertEquals("tool_0", items.get(1).get("name").asText());
  }

  @Test
  void aCallWithoutArgumentsHasAnEmptyObject() {
    feed(delta("{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"now\",\"arguments\":\"\"}}]}"));
    assertEquals("{}", end().items().get(0).get("arguments").asText());
  }

  @Test
  void reasoningAfterTextAndTextAfterACallOpenNewItems() {
    feed(delta("{\"content\":\"a\"}"), delta("{\"reasoning\":\"b\"}"),
        delta("{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}"),
        delta("{\"content\":\"c\"}"));
    List<JsonNode> items = end().items();
    assertEquals(List.of("message", "reasoning", "function_call", "message"),
        items.stream().map(item -> item.get("type").asText()).toList());
    assertEquals(List.of(0, 1, 2, 3), sink.data().stream()
        .filter(data -> data.get("type").asText().equals("response.output_item.done"))
        .map(data -> data.get("output_index").asInt()).toList());
  }

  @Test
  void otherChoicesAndEmptyDeltasAreIgnored() {
    feed("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}}]}",
        delta("{\"content\":null,\"tool_calls\":[]}"), delta("{\"content\":\"mine\"}"));
    ResponsesEventGrammar.Outcome outcome = end();
    assertEquals("mine", outcome.text());
    assertEquals(1, outcome.items().size());
  }

  @Test
  void aFailureAfterAnEndThatDidNotFitTheBudgetIsToldWithoutRepeatingTheText() {
    feed(delta("{\"content\":\"" + "x".repeat(1000) + "\"}"), finish("{}", "stop"));
    int sent = sink.events().size();
    // The budget takes no event as long as the text (output_text.done is the first of the end's).
    EventSink refusing = (name, json) -> {
      if (json.length > 1000) {
        throw new BufferBudgetExceededException(json.length);
      }
      sink.event(name, json);
    };
    assertThrows(BufferBudgetExceededException.class, () -> translator.onEnd(refusing));
    translator.onFailure(503, "busy", refusing);
    List<String> names = sink.names();
    assertEquals(List.of("response.failed"), names.subList(sent, names.size()));
    JsonNode failed = sink.data().get(sink.data().size() - 1).get("response");
    assertEquals("failed", failed.get("status").asText());
    assertEquals(0, failed.get("output").size());
    assertThrows(IllegalStateException.class, () -> translator.onFailure(503, "again", sink), "one failure only");
  }

  @Test
  void itCountsTheTextItKeepsForItsClosingEvents() {
    assertEquals(0, translator.keptChars());
    feed(delta("{\"reasoning_content\":\"Think.\"}"), delta("{\"content\":\"Ans\"}"),
        delta("""
            {"tool_calls":[{"index":0,"id":"c1","function":{"name":"shell","arguments":"{\\"cmd"}}]}"""));
    assertEquals("Think.".length() + "Ans".length() + "{\"cmd".length(), translator.keptChars());
  }

  @Test
  void nothingMayFollowTheEnd() {
    translator.onEnd(sink);
    assertThrows(IllegalStateException.class, () -> translator.onChunk(parse(delta("{}")), sink));
    assertThrows(IllegalStateException.class, () -> translator.onFailure(500, "x", sink));
  }
}
