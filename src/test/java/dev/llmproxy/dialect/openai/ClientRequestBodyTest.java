package dev.llmproxy.dialect.openai;

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
  void aStreamThatIsNoBooleanIsA400NamingIt() {
    for (String stream : new String[] {"\"true\"", "1", "{}"}) {
      String body = "{\"model\":\"m\",\"stream\":" + stream + "}";
      GatewayException e = assertThrows(GatewayException.class, () -> parse(body));
      assertEquals(400, e.status());
      assertEquals("stream", e.error().param());
    }
    assertFalse(parse("{\"model\":\"m\",\"stream\":null}").stream());
  }

  @Test
  void escapesTheUpstreamModelAndHandlesUnicodeOffsets() {
    ClientRequestBody body = parse("{\"prompt\":\"héllo ✓\",\"model\":\"a\"}");
    assertEquals("{\"prompt\":\"héllo ✓\",\"model\":\"we\\\"ird\"}",
        new String(body.withModel("we\"ird"), StandardCharsets.UTF_8));
  }

  @Test
  void aStreamIsAskedForItsUsageWhenTheClientDidNotAsk() {
    ClientRequestBody plain = parse(" {\"model\":\"a\",\"stream\":true}");
    assertFalse(plain.usageRequested());
    assertEquals(" {\"stream_options\":{\"include_usage\":true},\"model\":\"upstream-a\",\"stream\":true}",
        new String(plain.withModelAndUsage("upstream-a"), StandardCharsets.UTF_8));

    ClientRequestBody after = parse("{\"model\":\"a\",\"stream\":true,\"stream_options\":{\"x\":1},\"n\":1}");
    assertEquals("{\"model\":\"longer-model\",\"stream\":true,\"stream_options\":{\"x\":1,\"include_usage\":true},"
        + "\"n\":1}", new String(after.withModelAndUsage("longer-model"), StandardCharsets.UTF_8));
    ClientRequestBody before = parse("{\"stream_options\":{\"include_usage\":false},\"model\":\"abc\",\"stream\":true}");
    assertEquals("{\"stream_options\":{\"include_usage\":true},\"model\":\"x\",\"stream\":true}",
        new String(before.withModelAndUsage("x"), StandardCharsets.UTF_8));
    ClientRequestBody odd = parse("{\"model\":\"a\",\"stream\":true,\"stream_options\":null}");
    assertEquals("{\"model\":\"a\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
        new String(odd.withModelAndUsage("a"), StandardCharsets.UTF_8));
  }

  @Test
  void aBodyThatAsksAlreadyOrDoesNotStreamIsLeftAlone() {
    byte[] asks = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"
        .getBytes(StandardCharsets.UTF_8);
    assertTrue(ClientRequestBody.parse(asks).usageRequested());
    assertSame(asks, ClientRequestBody.parse(asks).withModelAndUsage("m"));
    byte[] whole = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
    assertSame(whole, ClientRequestBody.parse(whole).withModelAndUsage("m"));
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

  @Test
  void aSecondTopLevelModelIsRefusedEvenWhenEscaped() {
    for (String bad : new String[] {"{\"model\":\"a\",\"model\":\"b\"}", "{\"model\":\"a\",\"mod\\u0065l\":\"b\"}"}) {
      GatewayException e = assertThrows(GatewayException.class, () -> parse(bad), bad);
      assertEquals(400, e.status());
      assertEquals("model", e.error().param());
      assertTrue(e.error().message().contains("more than once"), e.error().message());
    }
    assertEquals("a", parse("{\"model\":\"a\",\"x\":{\"model\":\"b\"}}").model(), "nested models are content");
  }

  @Test
  void hostileJsonGetsA400ThatSaysWhichLimitNotACrash() {
    String deep = "{\"model\":\"m\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
    String longName = "{\"model\":\"m\",\"" + "k".repeat(60_000) + "\":1}";
    String longNumber = "{\"model\":\"m\",\"n\":" + "9".repeat(5000) + "}";
    for (String bad : new String[] {deep, longName, longNumber}) {
      GatewayException e = assertThrows(GatewayException.class, () -> parse(bad));
      assertEquals(400, e.status());
      assertTrue(e.error().message().startsWith("The request body exceeds a JSON limit"), e.error().message());
      assertTrue(e.error().message().length() < 400, "the message does not echo the input");
    }
    GatewayException longModel = assertThrows(GatewayException.class,
        () -> parse("{\"model\":\"" + "m".repeat(ClientRequestBody.MAX_MODEL_LENGTH + 1) + "\"}"));
    assertEquals("model", longModel.error().param());
  }
}
