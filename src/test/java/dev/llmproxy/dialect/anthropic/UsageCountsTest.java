package dev.llmproxy.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Spec §3 usage and §9 bug 3: cached tokens neither lost nor counted twice. */
class UsageCountsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void openAiCachedTokensAreSubtractedFromTheInput() throws Exception {
    JsonNode usage = JSON.readTree("{\"prompt_tokens\":1200,\"completion_tokens\":80,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1024},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":30}}");
    assertEquals(new UsageCounts(176, 80, 1024), UsageCounts.from(usage, 999));
  }

  @Test
  void deepSeekCacheHitsCountAsCacheReads() throws Exception {
    JsonNode usage = JSON.readTree("{\"prompt_tokens\":500,\"completion_tokens\":20,"
        + "\"prompt_cache_hit_tokens\":448,\"prompt_cache_miss_tokens\":52}");
    assertEquals(new UsageCounts(52, 20, 448), UsageCounts.from(usage, 999));
  }

  @Test
  void noCacheMeansZeroCacheReads() throws Exception {
    assertEquals(new UsageCounts(10, 3, 0),
        UsageCounts.from(JSON.readTree("{\"prompt_tokens\":10,\"completion_tokens\":3}"), 999));
  }

  @Test
  void missingUsageFallsBackToTheEstimateNeverZero() throws Exception {
    assertEquals(new UsageCounts(999, 0, 0), UsageCounts.from(null, 999));
    assertEquals(new UsageCounts(999, 0, 0), UsageCounts.from(JSON.readTree("null"), 999));
    assertEquals(new UsageCounts(999, 7, 0), UsageCounts.from(JSON.readTree("{\"completion_tokens\":7}"), 999));
  }

  @Test
  void writesAnthropicsFieldNames() {
    byte[] json = GeneratedJson.bytes(g -> {
      g.writeStartObject();
      new UsageCounts(176, 80, 1024).writeFields(g);
      g.writeEndObject();
    });
    assertEquals("{\"input_tokens\":176,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1024,"
        + "\"output_tokens\":80}", new String(json, java.nio.charset.StandardCharsets.UTF_8));
  }
}
