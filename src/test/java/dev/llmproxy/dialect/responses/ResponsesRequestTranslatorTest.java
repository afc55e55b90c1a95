package dev.llmproxy.dialect.responses;

import static dev.llmproxy.testing.TranslatorFixtures.json;
import static dev.llmproxy.testing.TranslatorFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.TranslationException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per row of spec §1 (Responses request → chat completions), plus a Codex request end to end. */
class ResponsesRequestTranslatorTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_760_000_000L), ZoneOffset.UTC);

  private static ResponsesRequest translate(String body) {
    return ResponsesRequestTranslator.translate(parse(body), ResponsesRequestTranslator.Options.DEFAULT, CLOCK);
  }

  private static JsonNode chat(String body) {
    return parse(translate(body).chatBody().toString());
  }

  private static JsonNode messages(String input) {
    return chat("{\"model\":\"m\",\"input\":" + input + "}").get("messages");
  }

  @Test
  void aCodexRequestBecomesTheGoldenChatBody() {
    ResponsesRequest request = ResponsesRequestTranslator.translate(
        json("/dialect/responses/codex-request.json"), ResponsesRequestTranslator.Options.DEFAULT, CLOCK);
    assertEquals(json("/dialect/responses/codex-chat.json"), parse(request.chatBody().toString()));
    assertEquals("deepseek-chat", request.model());
    assertTrue(request.stream());
    assertEquals(List.of("tools[2]: the built-in tool 'web_search' has no chat-completions equivalent; dropped"),
        request.notes());
    assertTrue(request.context().isCustomTool("apply_patch"));
    assertFalse(request.context().isCustomTool("shell"));
  }

  @Test
  void instructionsBecomeTheFirstSystemMessage() {
    JsonNode messages = chat("{\"model\":\"m\",\"instructions\":\"Be brief.\",\"input\":\"Hi\"}").get("messages");
    assertEquals(parse("[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}]"),
        messages);
  }

  @Test
  void aStringInputIsOneUserMessage() {
    assertEquals(parse("[{\"role\":\"user\",\"content\":\"Hello\"}]"), messages("\"Hello\""));
  }

  @Test
  void messageItemsKeepTheirRoleAndDeveloperBecomesSystem() {
    JsonNode messages = messages("""
        [{"role":"developer","content":"Rules."},
         {"type":"message","role":"system","content":[{"type":"input_text","text":"More rules."}]},
         {"type":"message","role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_text","text":"b"}]},
         {"type":"message","role":"assistant",
          "content":[{"type":"output_text","text":"x"},{"type":"output_text","text":"y"}]}]""");
    assertEquals(parse("""
        [{"role":"system","content":"Rules."},{"role":"system","content":"More rules."},
         {"role":"user","content":"a\\nb"},{"role":"assistant","content":"xy"}]"""), messages);
  }

  @Test
  void developerCanGoAsUserForUpstreamsThatRefuseALateSystemMessage() {
    ResponsesRequest request = ResponsesRequestTranslator.translate(
        parse("{\"model\":\"m\",\"input\":[{\"role\":\"developer\",\"content\":\"Rules.\"}]}"),
        new ResponsesRequestTranslator.Options(true, false), CLOCK);
    assertEquals("user", request.chatBody().get("messages").get(0).get("role").asText());
  }

  @Test
  void anInputImageBecomesAnImageUrlPartKeepingItsDetail() {
    JsonNode messages = messages("""
        [{"role":"user","content":[{"type":"input_text","text":"What is this?"},
          {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}]}]""");
    assertEquals(parse("""
        [{"role":"user","content":[{"type":"text","text":"What is this?"},
          {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]}]"""),
        messages);
  }

  @Test
  void anInputFileIsRefusedNamingThePart() {
    TranslationException e = assertThrows(TranslationException.class, () -> messages("""
        [{"role":"user","content":[{"type":"input_file","file_id":"file-1"}]}]"""));
    assertEquals("input[0].content[0]", e.param());
    assertTrue(e.getMessage().contains("input_file"), e.getMessage());
  }

  @Test
  void anImageByFileIdIsRefusedBecauseNothingIsStored() {
    TranslationException e = assertThrows(TranslationException.class, () -> messages("""
        [{"role":"user","content":[{"type":"input_image","file_id":"file-1"}]}]"""));
    assertEquals("input[0].content[0].image_url", e.param());
  }

  @Test
  void consecutiveFunctionCallsJoinTheAssistantTextBeforeThem() {
    JsonNode messages = messages("""
        [{"role":"user","content":"go"},
         {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
         {"type":"function_call","call_id":"c1","name":"a","arguments":"{\\"x\\":1}"},
         {"type":"function_call","call_id":"c2","name":"b","arguments":""},
         {"type":"function_call_output","call_id":"c1","output":"one"},
         {"type":"function_call_output","call_id":"c2","output":"two"}]""");
    assertEquals(parse("""
        [{"role":"user","content":"go"},
         {"role":"assistant","content":"Checking.","tool_calls":[
           {"id":"c1","type":"function","function":{"name":"a","arguments":"{\\"x\\":1}"}},
           {"id":"c2","type":"function","function":{"name":"b","arguments":"{}"}}]},
         {"role":"tool","tool_call_id":"c1","content":"one"},
         {"role":"tool","tool_call_id":"c2","content":"two"}]"""), messages);
  }

  @Test
  void aCallAfterAnsweredCallsStartsANewAssistantMessage() {
    JsonNode messages = messages("""
        [{"type":"function_call","call_id":"c1","name":"a","arguments":"{}"},
         {"type":"function_call_output","call_id":"c1","output":"one"},
         {"type":"function_call","call_id":"c2","name":"a","arguments":"{}"},
         {"type":"function_call_output","call_id":"c2","output":"two"}]""");
    assertEquals(List.of("assistant", "tool", "assistant", "tool"), roles(messages));
    assertEquals("c2", messages.get(2).get("tool_calls").get(0).get("id").asText());
  }

  @Test
  void toolOutputsGoRightAfterTheirCallWhateverCameBetween() {
    JsonNode messages = messages("""
        [{"type":"function_call","call_id":"c1","name":"a","arguments":"{}"},
         {"role":"user","content":"(interrupted) also check b"},
         {"type":"function_call_output","call_id":"c1","output":"aborted"}]""");
    assertEquals(List.of("assistant", "tool", "user"), roles(messages));
    assertEquals("c1", messages.get(1).get("tool_call_id").asText());
  }

  @Test
  void anOutputWithoutItsCallBecomesUserTextWithANote() {
    ResponsesRequest request = translate("""
        {"model":"m","input":[{"type":"function_call_output","call_id":"gone","output":"42"}]}""");
    JsonNode message = request.chatBody().get("messages").get(0);
    assertEquals("user", message.get("role").asText());
    assertEquals("Output of tool call gone:\n42", message.get("content").asText());
    assertEquals(1, request.notes().size());
  }

  @Test
  void anOutputMadeOfPartsKeepsItsTextAndSendsItsImagesAfterTheToolMessages() {
    JsonNode messages = messages("""
        [{"type":"function_call","call_id":"c1","name":"view_image","arguments":"{}"},
         {"type":"function_call_output","call_id":"c1","output":[{"type":"input_text","text":"a chart"},
           {"type":"input_image","image_url":"https://example.test/c.png"}]}]""");
    assertEquals(List.of("assistant", "tool", "user"), roles(messages));
    assertEquals("a chart", messages.get(1).get("content").asText());
    assertEquals("https://example.test/c.png",
        messages.get(2).get("content").get(1).get("image_url").get("url").asText());
  }

  @Test
  void reasoningItemsAreDroppedByDefault() {
    JsonNode messages = messages("""
        [{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"think"}]},
         {"role":"assistant","content":"done"}]""");
    assertEquals(parse("[{\"role\":\"assistant\",\"content\":\"done\"}]"), messages);
  }

  @Test
  void reasoningGoesBackAsReasoningContentForUpstreamsThatWantIt() {
    ResponsesRequest request = ResponsesRequestTranslator.translate(parse("""
        {"model":"m","input":[
          {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"call the tool"}]},
          {"type":"function_call","call_id":"c1","name":"a","arguments":"{}"},
          {"type":"function_call_output","call_id":"c1","output":"ok"}]}"""),
        new ResponsesRequestTranslator.Options(false, true), CLOCK);
    JsonNode assistant = request.chatBody().get("messages").get(0);
    assertEquals("call the tool", assistant.get("reasoning_content").asText());
    assertEquals("c1", assistant.get("tool_calls").get(0).get("id").asText());
  }

  @Test
  void aCustomToolCallIsAFunctionCallWithTheTextAsInput() {
    JsonNode messages = messages("""
        [{"type":"custom_tool_call","call_id":"c1","name":"apply_patch","input":"*** Begin Patch\\n*** End Patch"},
         {"type":"custom_tool_call_output","call_id":"c1","output":"Done"}]""");
    JsonNode call = messages.get(0).get("tool_calls").get(0).get("function");
    assertEquals("apply_patch", call.get("name").asText());
    assertEquals(parse("{\"input\":\"*** Begin Patch\\n*** End Patch\"}"), parse(call.get("arguments").asText()));
    assertEquals("Done", messages.get(1).get("content").asText());
  }

  @Test
  void aCustomToolIsDeclaredAsAFunctionWithOneStringInput() {
    ResponsesRequest request = translate("""
        {"model":"m","input":"x","tools":[{"type":"custom","name":"apply_patch","description":"Edit files."}]}""");
    JsonNode function = request.chatBody().get("tools").get(0).get("function");
    assertEquals("apply_patch", function.get("name").asText());
    assertTrue(function.get("description").asText().startsWith("Edit files."));
    assertEquals(parse("""
        {"type":"object","properties":{"input":{"type":"string"}},"required":["input"],
         "additionalProperties":false}"""),
        function.get("parameters"));
    assertTrue(request.context().isCustomTool("apply_patch"));
  }

  @Test
  void functionToolsAreNestedAndBuiltInToolsDroppedWithANote() {
    ResponsesRequest request = translate("""
        {"model":"m","input":"x","tools":[
          {"type":"function","name":"get_weather","description":"Weather.","strict":true,
           "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
          {"type":"function","name":"now"},
          {"type":"file_search","vector_store_ids":["vs_1"]}]}""");
    assertEquals(parse("""
        [{"type":"function","function":{"name":"get_weather","description":"Weather.",
          "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}},
         {"type":"function","function":{"name":"now","parameters":{"type":"object","properties":{}}}}]"""),
        parse(request.chatBody().get("tools").toString()));
    assertEquals(List.of("tools[2]: the built-in tool 'file_search' has no chat-completions equivalent; dropped"),
        request.notes());
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "none", "required"})
  void toolChoiceStringsPassAsTheyAre(String choice) {
    assertEquals(choice, chat(withTool("\"" + choice + "\"")).get("tool_choice").asText());
  }

  @Test
  void toolChoiceNamingAFunctionIsNestedTheChatWay() {
    // CLIProxyAPI copies {type, name} unchanged, which chat upstreams reject.
    assertEquals(parse("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"),
        chat(withTool("{\"type\":\"function\",\"name\":\"f\"}")).get("tool_choice"));
    assertEquals(parse("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"),
        chat(withTool("{\"type\":\"custom\",\"name\":\"f\"}")).get("tool_choice"));
  }

  @Test
  void toolChoiceOfABuiltInToolFallsBackToAuto() {
    assertEquals("auto", chat(withTool("{\"type\":\"web_search_preview\"}")).get("tool_choice").asText());
  }

  private static final String THREE_TOOLS = """
      {"model":"m","input":"x","tools":[{"type":"function","name":"a"},{"type":"custom","name":"b"},
        {"type":"function","name":"c"},{"type":"web_search"}],"tool_choice":""";

  private static List<String> toolNames(JsonNode chat) {
    List<String> names = new ArrayList<>();
    chat.path("tools").forEach(tool -> names.add(tool.at("/function/name").asText()));
    return names;
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "required"})
  void allowedToolsSendsOnlyTheAllowedDefinitionsAndTheMode(String mode) {
    JsonNode chat = chat(THREE_TOOLS + """
        {"type":"allowed_tools","mode":"%s","tools":[{"type":"function","name":"c"},{"type":"custom","name":"b"},
          {"type":"web_search"}]}}""".formatted(mode));
    assertEquals(List.of("b", "c"), toolNames(chat), "in the order of tools");
    assertEquals(mode, chat.get("tool_choice").asText());
  }

  @Test
  void allowedToolsNamingNoToolOfTheRequestIsA400NamingIt() {
    TranslationException e = assertThrows(TranslationException.class, () -> translate(THREE_TOOLS + """
        {"type":"allowed_tools","mode":"auto","tools":[{"type":"function","name":"a"},
          {"type":"function","name":"x"}]}}"""));
    assertEquals("tool_choice.tools[1].name", e.param());
    assertEquals("Invalid value for 'tool_choice.tools[1].name': no tool named 'x' in 'tools'.", e.getMessage());
    assertEquals("tool_choice.mode", assertThrows(TranslationException.class, () -> translate(THREE_TOOLS + """
        {"type":"allowed_tools","mode":"none","tools":[{"type":"function","name":"a"}]}}""")).param());
  }

  @Test
  void allowedToolsAllowingNoFunctionSendsNoTools() {
    ResponsesRequest request = translate(THREE_TOOLS + """
        {"type":"allowed_tools","mode":"required","tools":[{"type":"web_search"}]}}""");
    JsonNode chat = parse(request.chatBody().toString());
    assertFalse(chat.has("tools"));
    assertFalse(chat.has("tool_choice"));
    assertTrue(request.notes().contains(
        "tool_choice: allowed_tools allows none of the request's functions; no tools sent"), request.notes()::toString);
  }

  @Test
  void toolChoiceAndParallelToolCallsGoOnlyWithTools() {
    JsonNode chat = chat("{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":\"auto\",\"parallel_tool_calls\":false}");
    assertFalse(chat.has("tool_choice"));
    assertFalse(chat.has("parallel_tool_calls"));
    JsonNode withTools = chat("""
        {"model":"m","input":"x","parallel_tool_calls":false,"tools":[{"type":"function","name":"f"}]}""");
    assertFalse(withTools.get("parallel_tool_calls").asBoolean());
  }

  @Test
  void reasoningEffortBecomesReasoningEffortAndSummaryHasNoEquivalent() {
    JsonNode chat = chat("""
        {"model":"m","input":"x","reasoning":{"effort":"low","summary":"detailed"}}""");
    assertEquals("low", chat.get("reasoning_effort").asText());
    assertFalse(chat.has("reasoning"));
  }

  @Test
  void maxOutputTokensBecomesMaxTokens() {
    JsonNode chat = chat("{\"model\":\"m\",\"input\":\"x\",\"max_output_tokens\":32000}");
    assertEquals(32000, chat.get("max_tokens").asInt());
    assertFalse(chat.has("max_output_tokens"));
  }

  @Test
  void textFormatBecomesResponseFormat() {
    assertEquals(parse("{\"type\":\"json_object\"}"),
        chat("""
            {"model":"m","input":"x","text":{"format":{"type":"json_object"}}}""").get("response_format"));
    assertEquals(parse("""
        {"type":"json_schema",
         "json_schema":{"name":"out","description":"d","schema":{"type":"object"},"strict":true}}"""),
        chat("""
            {"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"out","description":"d",
             "schema":{"type":"object"},"strict":true}}}""").get("response_format"));
    assertFalse(chat("""
        {"model":"m","input":"x","text":{"format":{"type":"text"}}}""").has("response_format"));
  }

  @Test
  void samplingParametersAndUserKeepTheirNamesAndMetadataIsDropped() {
    JsonNode chat = chat("""
        {"model":"m","input":"x","temperature":0.2,"top_p":0.9,"user":"u-1","metadata":{"k":"v"},
         "store":true,"service_tier":"flex","truncation":"auto","prompt_cache_key":"p","include":["a"]}""");
    assertEquals(0.2, chat.get("temperature").asDouble());
    assertEquals(0.9, chat.get("top_p").asDouble());
    assertEquals("u-1", chat.get("user").asText());
    for (String dropped : List.of("metadata", "store", "service_tier", "truncation", "prompt_cache_key", "include")) {
      assertFalse(chat.has(dropped), dropped);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"previous_response_id", "conversation", "prompt"})
  void stateOnTheServerIsRefusedNamingTheFieldAndSayingToSendTheWholeInput(String field) {
    TranslationException e = assertThrows(TranslationException.class,
        () -> translate("{\"model\":\"m\",\"input\":\"x\",\"" + field + "\":\"resp_123\"}"));
    assertEquals(field, e.param());
    assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("send the whole conversation in 'input'"), e.getMessage());
  }

  @Test
  void storeTrueIsAcceptedAndEchoedButNothingIsStored() {
    ResponsesRequest request = translate("{\"model\":\"m\",\"input\":\"x\",\"store\":true}");
    ObjectNode response = ResponseJson.response(request.context(), "completed");
    assertTrue(response.get("store").asBoolean());
    assertFalse(request.chatBody().has("store"));
  }

  @Test
  void nullStateFieldsAsTheSdksSendThemAreFine() {
    assertEquals("x", chat("""
        {"model":"m","input":"x","previous_response_id":null,"conversation":null,"background":false}""")
        .get("messages").get(0).get("content").asText());
  }

  @Test
  void backgroundIsRefused() {
    assertEquals("background", assertThrows(TranslationException.class,
        () -> translate("{\"model\":\"m\",\"input\":\"x\",\"background\":true}")).param());
  }

  @Test
  void streamAsksForTheUsageChunk() {
    JsonNode chat = chat("{\"model\":\"m\",\"input\":\"x\",\"stream\":true}");
    assertTrue(chat.get("stream").asBoolean());
    assertTrue(chat.get("stream_options").get("include_usage").asBoolean());
    JsonNode plain = chat("{\"model\":\"m\",\"input\":\"x\"}");
    assertFalse(plain.has("stream"));
    assertFalse(plain.has("stream_options"));
  }

  @Test
  void anItemReferenceIsRefusedAndBuiltInToolItemsAreDroppedWithANote() {
    assertEquals("input[0]", assertThrows(TranslationException.class,
        () -> messages("[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]")).param());
    ResponsesRequest request = translate("""
        {"model":"m","input":[{"type":"web_search_call","id":"ws_1","status":"completed"},
                              {"role":"user","content":"x"}]}""");
    assertEquals(1, request.chatBody().get("messages").size());
    assertEquals(List.of("input[0]: the item type 'web_search_call' has no chat-completions equivalent; dropped"),
        request.notes());
  }

  @Test
  void anItemOfAnUnknownTypeIsRefusedListingTheKindsUnderstood() {
    TranslationException e = assertThrows(TranslationException.class, () -> messages("""
        [{"role":"user","content":"x"},{"type":"bogus"}]"""));
    assertEquals("input[1].type", e.param());
    assertTrue(e.getMessage().contains("'bogus'"), e.getMessage());
    assertTrue(e.getMessage().contains("message, function_call, function_call_output, custom_tool_call,"
        + " custom_tool_call_output, reasoning"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[]",
      "[{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"t\"}]}]",
      "[{\"type\":\"web_search_call\",\"id\":\"ws_1\",\"status\":\"completed\"}]"})
  void anInputThatLeavesNothingToSendIsRefusedEvenWithInstructions(String input) {
    TranslationException e = assertThrows(TranslationException.class,
        () -> translate("{\"model\":\"m\",\"instructions\":\"Be brief.\",\"input\":" + input + "}"));
    assertEquals("input", e.param());
    assertTrue(e.getMessage().contains("nothing to send"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      "max_output_tokens":"ten"                                      | max_output_tokens
      "max_output_tokens":1.5                                        | max_output_tokens
      "max_output_tokens":1e999                                      | max_output_tokens
      "stream":"yes"                                                 | stream
      "temperature":"hot"                                            | temperature
      "temperature":1e999                                            | temperature
      "top_p":"high"                                                 | top_p
      "user":42                                                      | user
      "parallel_tool_calls":"no"                                     | parallel_tool_calls
      "store":"yes"                                                  | store
      "background":"no"                                              | background
      "metadata":"m"                                                 | metadata
      "reasoning":"high"                                             | reasoning
      "reasoning":{"effort":3}                                       | reasoning.effort
      "reasoning":{"summary":true}                                   | reasoning.summary
      "text":"json"                                                  | text
      "text":{"format":"json_object"}                                | text.format
      "text":{"format":{"type":"json_schema","schema":"s"}}          | text.format.schema
      "text":{"format":{"type":"json_schema","schema":{},"strict":1}} | text.format.strict
      "tool_choice":5                                                | tool_choice
      "tools":[{"type":"function","name":"f","strict":"yes"}]        | tools[0].strict
      "tools":[{"type":"custom","name":"f","format":"lark"}]         | tools[0].format
      """)
  void aValueOfTheWrongTypeIsRefusedNamingTheField(String member, String param) {
    TranslationException e = assertThrows(TranslationException.class,
        () -> translate("{\"model\":\"m\",\"input\":\"x\"," + member + "}"));
    assertEquals(param, e.param());
    assertTrue(e.getMessage().startsWith("Invalid type for '" + param + "': expected "), e.getMessage());
  }

  @Test
  void anInfiniteNumberIsRefusedRatherThanSentAsTheStringInfinity() {
    assertTrue(Double.isInfinite(parse("{\"t\":1e999}").get("t").doubleValue()), "what the parser makes of it");
    assertEquals("Invalid type for 'temperature': expected a finite number.", assertThrows(TranslationException.class,
        () -> translate("{\"model\":\"m\",\"input\":\"x\",\"temperature\":1e999}")).getMessage());
  }

  @Test
  void partsAndReasoningSentUpstreamAreTypeCheckedToo() {
    assertEquals("input[0].content[0].input_audio", assertThrows(TranslationException.class, () -> messages("""
        [{"role":"user","content":[{"type":"input_audio"}]}]""")).param());
    assertEquals("input[0].summary[0].text", assertThrows(TranslationException.class,
        () -> ResponsesRequestTranslator.translate(parse("""
            {"model":"m","input":[{"type":"reasoning","summary":[{"type":"summary_text","text":7}]},
                                  {"role":"assistant","content":"a"}]}"""),
            new ResponsesRequestTranslator.Options(false, true), CLOCK)).param());
  }

  @Test
  void aWholeNumberOfTokensWrittenWithAFractionIsSentAsAnInteger() {
    JsonNode maxTokens = chat("{\"model\":\"m\",\"input\":\"x\",\"max_output_tokens\":32000.0}").get("max_tokens");
    assertTrue(maxTokens.isIntegralNumber(), maxTokens.toString());
    assertEquals(32000, maxTokens.asInt());
  }

  @Test
  void malformedBodiesAreRefusedNamingTheField() {
    assertNull(assertThrows(TranslationException.class,
        () -> ResponsesRequestTranslator.translate(parse("[]"))).param());
    assertEquals("model", assertThrows(TranslationException.class, () -> translate("{\"input\":\"x\"}")).param());
    assertEquals("input", assertThrows(TranslationException.class, () -> translate("{\"model\":\"m\"}")).param());
    assertEquals("input", assertThrows(TranslationException.class,
        () -> translate("{\"model\":\"m\",\"input\":5}")).param());
    assertEquals("input[0].role", assertThrows(TranslationException.class,
        () -> messages("[{\"role\":\"robot\",\"content\":\"x\"}]")).param());
    assertEquals("input[0].call_id", assertThrows(TranslationException.class,
        () -> messages("[{\"type\":\"function_call\",\"name\":\"f\",\"arguments\":\"{}\"}]")).param());
    assertEquals("tools[0].name", assertThrows(TranslationException.class,
        () -> translate("{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\"}]}")).param());
    assertEquals("tool_choice", assertThrows(TranslationException.class,
        () -> translate(withTool("\"always\""))).param());
  }

  @Test
  void theContextCarriesTheResponseIdTimeModelAndEchoedParameters() {
    ResponsesRequest request = translate("""
        {"model":"my-alias","instructions":"Be brief.","input":"x","temperature":0.3,
         "tools":[{"type":"function","name":"f"}],"reasoning":{"effort":"low"}}""");
    ResponsesContext context = request.context();
    assertTrue(context.responseId().matches("resp_[0-9a-f]{32}"), context.responseId());
    assertEquals(1_760_000_000L, context.createdAt());
    assertEquals("my-alias", context.clientModel());
    ObjectNode response = ResponseJson.response(context, "in_progress");
    assertEquals("Be brief.", response.get("instructions").asText());
    assertEquals(0.3, response.get("temperature").asDouble());
    assertEquals(1.0, response.get("top_p").asDouble());
    assertEquals("auto", response.get("tool_choice").asText());
    assertEquals("f", response.get("tools").get(0).get("name").asText());
    assertEquals("low", response.get("reasoning").get("effort").asText());
    assertEquals("text", response.get("text").get("format").get("type").asText());
    assertTrue(response.get("parallel_tool_calls").asBoolean());
    assertTrue(response.get("previous_response_id").isNull());
  }

  @Test
  void eachRequestGetsItsOwnResponseId() {
    assertFalse(translate("{\"model\":\"m\",\"input\":\"x\"}").context().responseId()
        .equals(translate("{\"model\":\"m\",\"input\":\"x\"}").context().responseId()));
  }

  private static String withTool(String toolChoice) {
    return "{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"}],\"tool_choice\":"
        + toolChoice + "}";
  }

  private static List<String> roles(JsonNode messages) {
    return java.util.stream.StreamSupport.stream(messages.spliterator(), false)
        .map(m -> m.get("role").asText()).toList();
  }
}
