package dev.llmproxy.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ToolCallIndexesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ToolCallIndexes indexes = new ToolCallIndexes();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void theUpstreamsIndexWins() throws Exception {
    assertEquals(3, indexes.of(json("{\"index\":3,\"id\":\"a\"}"), 0));
    assertEquals(3, indexes.of(json("{\"index\":3}"), 1));
  }

  @Test
  void withoutAnIndexANewIdStartsANewCallAndItsContinuationsFollowIt() throws Exception {
    assertEquals(0, indexes.of(json("{\"id\":\"cA\",\"function\":{\"arguments\":\"{\\\"i\\\":1}\"}}"), 0));
    assertEquals(0, indexes.of(json("{\"function\":{\"arguments\":\"\"}}"), 0), "a continuation");
    assertEquals(1, indexes.of(json("{\"id\":\"cB\",\"function\":{\"arguments\":\"{\"}}"), 0), "another id");
    assertEquals(1, indexes.of(json("{\"function\":{\"arguments\":\"}\"}}"), 0), "continues the new call");
    assertEquals(1, indexes.of(json("{\"id\":\"cB\"}"), 0), "its own id repeated");
  }

  @Test
  void withoutAnIndexAPositionInTheArrayIsACall() throws Exception {
    assertEquals(0, indexes.of(json("{\"id\":\"a\"}"), 0));
    assertEquals(1, indexes.of(json("{\"id\":\"b\"}"), 1));
    assertEquals(1, indexes.of(json("{}"), 1));
  }
}
