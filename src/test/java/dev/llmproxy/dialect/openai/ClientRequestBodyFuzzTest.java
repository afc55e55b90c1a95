package dev.llmproxy.dialect.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.llmproxy.error.GatewayException;

/**
 * The client JSON scan reads what any client key holder sends. Whatever the bytes: a parsed body, or a
 * {@link GatewayException} with status 400; never another exception. Kept to the one call, as the
 * scan's API may change. Seeds in {@code ClientRequestBodyFuzzTestInputs/}; README says how to fuzz it.
 */
class ClientRequestBodyFuzzTest {
  @FuzzTest
  void parsesOrRefusesWith400(byte[] body) {
    try {
      ClientRequestBody.parse(body);
    } catch (GatewayException e) {
      assertEquals(400, e.status(), e.error().message());
    }
  }
}
