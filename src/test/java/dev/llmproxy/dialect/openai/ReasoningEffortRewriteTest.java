package dev.llmproxy.dialect.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReasoningEffortRewriteTest {

  private static String chat(String json, String effort) {
    return new String(ReasoningEffortRewrite.chat(json.getBytes(StandardCharsets.UTF_8), effort),
        StandardCharsets.UTF_8);
  }

  private static String responses(String json, String effort) {
    return new String(ReasoningEffortRewrite.responses(json.getBytes(StandardCharsets.UTF_8), effort),
        StandardCharsets.UTF_8);
  }

  @Test
  void theEffortGoesFirstAndEveryOtherMemberKeepsItsBytes() {
    assertEquals("{\"reasoning_effort\":\"high\",\"model\" : \"m(high)\",\"temperature\":1.50,"
            + "\"messages\":[ {\"role\" : \"user\"} ],\"stream\":true,\"n\":null,\"x\":\"é\\u00e9\"}",
        chat(" { \"model\" : \"m(high)\", \"temperature\":1.50,\n \"messages\":[ {\"role\" : \"user\"} ],"
            + "\"stream\":true, \"n\":null, \"x\":\"é\\u00e9\" } ", "high"));
  }

  @Test
  void theSuffixReplacesTheEffortTheClientSent() {
    assertEquals("{\"reasoning_effort\":\"low\",\"model\":\"m\",\"top_p\":1}",
        chat("{\"reasoning_effort\":\"high\",\"model\":\"m\",\"reasoning_effort\":\"minimal\",\"top_p\":1}", "low"));
  }

  @Test
  void noEffortTakesTheClientsAway() {
    assertEquals("{\"model\":\"m\",\"top_p\":1}", chat("{\"model\":\"m\",\"reasoning_effort\":\"high\",\"top_p\":1}",
        null));
    assertEquals("{\"model\":\"m\"}", chat("{\"model\":\"m\"}", null));
  }

  @Test
  void theResponsesApiGetsItAsReasoningEffortKeepingItsOtherReasoningSettings() {
    assertEquals("{\"reasoning\":{\"effort\":\"high\"},\"model\":\"m\",\"input\":\"hi\"}",
        responses("{\"model\":\"m\",\"input\":\"hi\"}", "high"));
    assertEquals("{\"reasoning\":{\"effort\":\"none\",\"summary\":\"auto\"},\"model\":\"m\"}",
        responses("{\"model\":\"m\",\"reasoning\":{\"effort\":\"high\",\"summary\":\"auto\"}}", "none"));
    assertEquals("{\"reasoning\":{\"summary\":\"auto\"},\"model\":\"m\"}",
        responses("{\"model\":\"m\",\"reasoning\":{\"effort\":\"high\",\"summary\":\"auto\"}}", null));
    assertEquals("{\"model\":\"m\"}", responses("{\"model\":\"m\",\"reasoning\":{\"effort\":\"low\"}}", null));
    assertEquals("{\"reasoning\":{\"effort\":\"low\"},\"model\":\"m\"}",
        responses("{\"model\":\"m\",\"reasoning\":null}", "low"));
  }

  @Test
  void theRewrittenBodyIsParsedAgainAndItsModelStillSplicesIn() {
    ClientRequestBody body = ClientRequestBody.parse(
        "{\"model\":\"m(high)\",\"stream\":true}".getBytes(StandardCharsets.UTF_8)).withChatReasoningEffort("high");
    assertEquals("m(high)", body.model());
    assertEquals("{\"stream_options\":{\"include_usage\":true},\"reasoning_effort\":\"high\",\"model\":\"up\","
        + "\"stream\":true}", new String(body.withModelAndUsage("up"), StandardCharsets.UTF_8));
  }
}
