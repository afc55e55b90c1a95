package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenUsageTest {
  private static TokenUsage of(String json) {
    return TokenUsage.of(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void chatCompletionUsageIsRead() {
    assertEquals(new TokenUsage(9, 12, 21), of("""
        {"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"usage is {\\"x\\":1}"}}],
         "usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21,
                  "prompt_tokens_details":{"cached_tokens":0}}}"""));
  }

  @Test
  void negativeHugeOrFractionalCountsAreZeroSoNoBudgetIsRefundedOrExhausted() {
    assertEquals(new TokenUsage(0, 5, 5), of("{\"usage\":{\"prompt_tokens\":-1000,\"completion_tokens\":5}}"));
    assertEquals(new TokenUsage(0, 0, 0), of("{\"usage\":{\"prompt_tokens\":99999999999999999999999,"
        + "\"completion_tokens\":1e999999,\"total_tokens\":1000000000001}}"));
  }

  @Test
  void streamedUsageChunkAndResponsesApiEventsAreRead() {
    assertEquals(new TokenUsage(3, 4, 7),
        of("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
            + "\"completion_tokens\":4,\"total_tokens\":7}}"));
    assertEquals(new TokenUsage(5, 6, 11), of("{\"type\":\"response.completed\",\"response\":{\"id\":\"r\","
        + "\"output\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":6}}}"), "total computed when absent");
  }

  @Test
  void cachedAndReasoningTokensAreReadFromTheDetailsOfBothApis() {
    assertEquals(new TokenUsage(100, 40, 140, 64, 30), of("""
        {"usage":{"prompt_tokens":100,"completion_tokens":40,"total_tokens":140,
                  "prompt_tokens_details":{"audio_tokens":0,"cached_tokens":64},
                  "completion_tokens_details":{"reasoning_tokens":30,"audio_tokens":0}}}"""));
    assertEquals(new TokenUsage(8, 9, 17, 2, 5), of("{\"type\":\"response.completed\",\"response\":{\"usage\":"
        + "{\"input_tokens\":8,\"input_tokens_details\":{\"cached_tokens\":2},\"output_tokens\":9,"
        + "\"output_tokens_details\":{\"reasoning_tokens\":5},\"total_tokens\":17}}}"));
  }

  @Test
  void noUsageNullUsageOrNotJsonIsNull() {
    assertNull(of("{\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"usage\":null}"));
    assertNull(of("{\"choices\":[]}"));
    assertNull(of("[1,2]"));
    assertNull(of("not json"));
  }
}
