package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.testing.TranslatorFixtures;
import java.util.Set;

/** The fixed context the golden files of this package were written with. */
final class TestContexts {
  static final String RESPONSE_ID = "resp_0123456789abcdef";

  private TestContexts() {}

  /** Model {@code deepseek-chat}, the custom tool {@code apply_patch}, the echo of {@code context-echo.json}. */
  static ResponsesContext codex() {
    return new ResponsesContext(RESPONSE_ID, 1_760_000_000L, "deepseek-chat", Set.of("apply_patch"),
        (ObjectNode) TranslatorFixtures.json("/dialect/responses/context-echo.json"));
  }
}
