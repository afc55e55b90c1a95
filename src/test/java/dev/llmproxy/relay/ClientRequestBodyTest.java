package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.error.GatewayException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientRequestBodyTest {
  private static ClientRequestBody parse(String json) {
    return ClientRequestBody.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rewritesOnlyTheModelAndKeepsEveryOtherByte() {
    String json = "{ \"messages\": [{\"role\":\"user\",\"content\":\"model \\\"x\\\"\"}],\n"
        + "  \"model\" :  \"or/claude\", \"stream\":true, \"unknown_field\": {\"model\":\"nested\"} }";
    ClientRequestBody body = parse(json);
    assertEquals("or/claude", body.model());
    assertTrue(body.stream());
    String rewritten = new String(body.withModel("anthropic/claude-3.5-sonnet"), StandardCharsets.UTF_8);
    assertEquals(json.replace("\"or/claude\"", "\"anthropic/claude-3.5-sonnet\""), rewritten);
  }

  @Test
  void escapesTheUpstreamModelAndHandlesUnicodeOffsets() {
    ClientRequestBody body = parse("{\"prompt\":\"héllo ✓\",\"model\":\"a\"}");
    assertEquals("{\"prompt\":\"héllo ✓\",\"model\":\"we\\\"ird\"}",
        new String(body.withModel("we\"ird"), StandardCharsets.UTF_8));
  }

  @Test
  void sameModelReturnsTheSameArray() {
    byte[] bytes = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
    assertSame(bytes, ClientRequestBody.parse(bytes).withModel("m"));
    assertFalse(ClientRequestBody.parse(bytes).stream());
  }

  @Test
  void rejectsMalformedNonObjectAndMissingModelWith400() {
    for (String bad : new String[] {"{\"model\":", "[1]", "{}", "{\"model\":3}", "{\"model\":\"m\"} trailing", ""}) {
      GatewayException e = assertThrows(GatewayException.class, () -> parse(bad), bad);
      assertEquals(400, e.status(), bad);
    }
    assertEquals("model", assertThrows(GatewayException.class, () -> parse("{}")).error().param());
  }
}
