package dev.llmproxy.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPathTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode body(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
  }

  private static List<String> located(String path, JsonNode body) {
    return JsonPath.parse(path).locate(body).stream().map(l -> String.join("/", l.keys())).toList();
  }

  private static void set(ObjectNode body, String path, JsonNode value) {
    for (JsonPath.Location location : JsonPath.parse(path).locate(body)) {
      JsonPath.set(body, location, value);
    }
  }

  @Test
  void dotsSeparateKeysAndABackslashKeepsOneInAKey() throws Exception {
    ObjectNode body = body("{'metadata':{'a.b':1,'c':{'d':2}}}");

    assertEquals(IntNode.valueOf(1), JsonPath.parse("metadata.a\\.b").first(body));
    assertEquals(IntNode.valueOf(2), JsonPath.parse("metadata.c.d").first(body));
    assertNull(JsonPath.parse("metadata.a").first(body));
  }

  @Test
  void aNumberIndexesAnArrayAndNamesAnObjectsMember() throws Exception {
    ObjectNode body = body("{'messages':[{'role':'system'},{'role':'user'}],'byNumber':{'0':'zero'}}");

    assertEquals(TextNode.valueOf("user"), JsonPath.parse("messages.1.role").first(body));
    assertEquals(TextNode.valueOf("zero"), JsonPath.parse("byNumber.0").first(body));
    assertNull(JsonPath.parse("messages.2.role").first(body));
  }

  @Test
  void settingMakesTheObjectsOnTheWayAndAnArrayBeforeAnIndex() throws Exception {
    ObjectNode body = body("{'reasoning':'high'}");

    set(body, "generation.config.budget", IntNode.valueOf(10));
    set(body, "reasoning.effort", TextNode.valueOf("low"));
    set(body, "stop.0", TextNode.valueOf("END"));

    assertEquals(body("{'reasoning':{'effort':'low'},'generation':{'config':{'budget':10}},'stop':['END']}"), body,
        "a scalar in the way is replaced, as sjson does");
  }

  @Test
  void minusOneAppendsAndAnIndexPastTheEndIsNotSet() throws Exception {
    ObjectNode body = body("{'stop':['a']}");

    set(body, "stop.-1", TextNode.valueOf("b"));
    set(body, "stop.5", TextNode.valueOf("never"));
    set(body, "stop.0", TextNode.valueOf("A"));

    assertEquals(body("{'stop':['A','b']}"), body);
  }

  @Test
  void aQueryChoosesTheFirstMatchingElementAndWithHashEveryOne() throws Exception {
    ObjectNode body = body("{'tools':[{'type':'function','n':1},{'type':'web_search','n':2},"
        + "{'type':'web_search','n':3}]}");

    assertEquals(List.of("tools/1/n"), located("tools.#(type==\"web_search\").n", body));
    assertEquals(List.of("tools/1/n", "tools/2/n"), located("tools.#(type==\"web_search\")#.n", body));
    assertEquals(List.of(), located("tools.#(type==\"image\").n", body));
    assertEquals(List.of("tools/2"), located("tools.#(n>2)", body));
    assertEquals(List.of("tools/0", "tools/2"), located("tools.#(n<2||n>=3)#", body));
    assertEquals(List.of("tools/1"), located("tools.#(type%\"web*\"&&n!=3)#", body));
    assertEquals(List.of("tools/0"), located("tools.#(type!%'web*')#", body), "single quotes too");
    assertEquals(List.of(), located("nothing.#(n==1)", body));
  }

  @Test
  void aQueryCanAskTheElementItselfAndWhetherAFieldIsThere() throws Exception {
    ObjectNode body = body("{'stop':['a','b'],'messages':[{'role':'user'},{'role':'tool','name':'x'}]}");

    assertEquals(List.of("stop/1"), located("stop.#(==\"b\")", body));
    assertEquals(List.of("messages/1"), located("messages.#(name)#", body));
    assertEquals(List.of("messages/0"), located("messages.#(role==\"user\")", body));
  }

  @Test
  void numbersCompareByValue() throws Exception {
    ObjectNode body = body("{'a':[{'t':1.0},{'t':2}]}");

    assertEquals(List.of("a/0"), located("a.#(t==1)", body));
    assertEquals(List.of("a/1"), located("a.#(t==2.0)", body));
  }

  @Test
  void deletingRemovesTheMemberOrTheElement() throws Exception {
    ObjectNode body = body("{'a':{'b':1,'c':2},'l':[1,2,3]}");

    assertTrue(JsonPath.delete(body, JsonPath.parse("a.b").locate(body).get(0)));
    assertTrue(JsonPath.delete(body, JsonPath.parse("l.1").locate(body).get(0)));
    assertFalse(JsonPath.delete(body, JsonPath.parse("a.missing").locate(body).get(0)));
    assertFalse(JsonPath.delete(body, JsonPath.parse("missing.x").locate(body).get(0)));

    assertEquals(body("{'a':{'c':2},'l':[1,3]}"), body);
  }

  @Test
  void pathsThatSayNothingAreRefusedWithTheirFault() {
    assertEquals("'a..b' has an empty key",
        assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("a..b")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("tools.#(type==\"x\"")).getMessage()
        .contains("no closing parenthesis"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("tools.#(type==web)")).getMessage()
        .contains("is not a JSON value"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("tools.#(a==1)x")).getMessage()
        .contains("has text after its query"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("tools.#(a==1&&)")).getMessage()
        .contains("empty term"));
  }
}
