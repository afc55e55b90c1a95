package dev.llmproxy.dialect.responses;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.ChunkCost;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Responses stream translator's cost per upstream chunk, printed for the record (measured on the
 * 2-core build machine: see the branch's notes). The bound only catches an order-of-magnitude regression.
 */
class ResponsesStreamCostTest {
  @Test
  void aTextChunkCostsMicroseconds() {
    List<String> stream = ChunkCost.textStream(2000);
    double translate = ChunkCost.translate(stream, () -> new ResponsesStreamTranslator(TestContexts.codex()), 100);
    double withParse =
        ChunkCost.parseAndTranslate(stream, () -> new ResponsesStreamTranslator(TestContexts.codex()), 100);
    System.out.printf("Responses stream: %.2f us per chunk translated, %.2f us parsed and translated%n",
        translate / 1000, withParse / 1000);
    assertTrue(translate < 100_000, "translating one chunk took " + translate + " ns");
  }
}
