package dev.llmproxy.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ChatUsageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsOpenAisCountsWithTheirDetails() throws Exception {
    JsonNode usage = JSON.readTree("{\"prompt_tokens\":1200,\"completion_tokens\":80,\"total_tokens\":1281,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1024},\"completion_tokens_details\":{\"reasoning_tokens\":30}}");
    assertEquals(new ChatUsage(1200, 80, 1024, 30, 1281), ChatUsage.of(usage));
  }

  @Test
  void countsBeyondBeliefAreZeroNeverTheLargestLong() throws Exception {
    JsonNode usage = JSON.readTree("{\"prompt_tokens\":1e999999,\"completion_tokens\":-3,\"total_tokens\":7,"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":1e12}}");
    assertEquals(new ChatUsage(0, 0, 0, 0, 7), ChatUsage.of(usage));
  }

  @Test
  void deepSeekCacheHitsAreCachedTokens() throws Exception {
    JsonNode usage = JSON.readTree("{\"prompt_tokens\":500,\"completion_tokens\":20,"
        + "\"prompt_cache_hit_tokens\":448,\"prompt_cache_miss_tokens\":52}");
    assertEquals(new ChatUsage(500, 20, 448, 0, 520), ChatUsage.of(usage));
  }

  @Test
  void missingCountsAreZeroAndTheTotalIsTheirSum() throws Exception {
    assertEquals(new ChatUsage(0, 7, 0, 0, 7), ChatUsage.of(JSON.readTree("{\"completion_tokens\":7}")));
  }

  @Test
  void aStreamRemembersTheLastUsageObjectItSaw() throws Exception {
    JsonNode seen = JSON.readTree("{\"prompt_tokens\":1}");
    JsonNode usageChunk = JSON.readTree("{\"choices\":[],\"usage\":{\"prompt_tokens\":2}}");
    assertSame(seen, ChatUsage.latest(JSON.readTree("{\"choices\":[]}"), seen));
    assertSame(seen, ChatUsage.latest(JSON.readTree("{\"choices\":[],\"usage\":null}"), seen));
    assertSame(usageChunk.get("usage"), ChatUsage.latest(usageChunk, seen));
  }
}
