package dev.llmproxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelDiscoveryTest {
  @Test
  void readsOpenAiListsAndBareArraysDroppingDuplicatesAndBlanks() throws IOException {
    assertEquals(List.of("a", "b"), ModelDiscovery.parseIds(
        "{\"object\":\"list\",\"data\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"a\"},{\"id\":\"\"}]}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("x"), ModelDiscovery.parseIds("[{\"id\":\"x\"}]".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void rejectsBodiesWithoutAList() {
    assertThrows(IOException.class, () -> ModelDiscovery.parseIds("{\"models\":[]}".getBytes(StandardCharsets.UTF_8)));
  }
}
