package dev.llmproxy.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class JsonFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFields FIELDS =
      new JsonFields((path, expected) -> path + " is not " + expected, path -> path + " is missing");

  private static JsonNode body() throws Exception {
    return JSON.readTree("{\"s\":\"text\",\"n\":32000.0,\"f\":1.5,\"o\":{},\"a\":[],\"b\":true,\"nil\":null}");
  }

  private static void assertRefused(String param, String message, Executable read) {
    TranslationException e = assertThrows(TranslationException.class, read);
    assertEquals(param, e.param());
    assertEquals(message, e.getMessage());
  }

  @Test
  void readsEachTypeAndTakesJsonNullForAbsent() throws Exception {
    JsonNode body = body();
    assertEquals("text", FIELDS.requiredString(body, "s", "s"));
    assertEquals(32000L, FIELDS.integer(body, "n", "n"));
    assertEquals(body.get("o"), FIELDS.requiredObject(body, "o", "o"));
    assertEquals(body.get("a"), FIELDS.array(body, "a", "a"));
    assertEquals(true, FIELDS.bool(body, "b", "b"));
    assertNull(JsonFields.get(body, "nil"));
    assertNull(FIELDS.string(body, "nil", "nil"));
    assertNull(FIELDS.object(body, "absent", "absent"));
    assertFalse(FIELDS.bool(body, "nil", "nil"));
  }

  @Test
  void failuresNameTheParamInTheDialectsWords() throws Exception {
    JsonNode body = body();
    assertRefused("x.s", "x.s is not an object", () -> FIELDS.object(body, "s", "x.s"));
    assertRefused("x.o", "x.o is not a string", () -> FIELDS.string(body, "o", "x.o"));
    assertRefused("x.s", "x.s is not an array", () -> FIELDS.array(body, "s", "x.s"));
    assertRefused("x.s", "x.s is not a number", () -> FIELDS.number(body, "s", "x.s"));
    assertRefused("x.f", "x.f is not an integer", () -> FIELDS.integer(body, "f", "x.f"));
    assertRefused("x.s", "x.s is not a boolean", () -> FIELDS.bool(body, "s", "x.s"));
    assertRefused("x[0]", "x[0] is not an object", () -> FIELDS.requireObject(body.get("a"), "x[0]"));
    assertRefused("x.nil", "x.nil is missing", () -> FIELDS.requiredString(body, "nil", "x.nil"));
    assertRefused("x.absent", "x.absent is missing", () -> FIELDS.requiredObject(body, "absent", "x.absent"));
  }
}
