package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmproxy.routing.ClientSession;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientSessionsTest {
  private static ClientSession of(Map<String, String> headers, String body) {
    return ClientSessions.of(headers::get, body.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  private static ClientSession of(String body) {
    return of(Map.of(), body);
  }

  @Test
  void aSessionHeaderWinsTheStrongestFirst() {
    assertEquals(new ClientSession("header:cc-1", null),
        of(Map.of("Session_id", "codex-1", "X-Claude-Code-Session-Id", "cc-1"), "{'prompt_cache_key':'k'}"));
    assertEquals(new ClientSession("header:codex-1", null), of(Map.of("Session_id", "codex-1"), "{}"));
    assertEquals(new ClientSession("header:s", null), of(Map.of("X-Session-Affinity", " s "), "{}"));
  }

  @Test
  void claudeCodesUserIdCarriesItsSessionInEitherForm() {
    assertEquals(new ClientSession("claude:5b1c7e2a-9f00-4d7b-8a55-1e2f3a4b5c6d", null),
        of("{'metadata':{'user_id':'user_ab12_account_0d9e_session_5b1c7e2a-9f00-4d7b-8a55-1e2f3a4b5c6d'}}"));
    String json = "{\"metadata\":{\"user_id\":\"{\\\"device_id\\\":\\\"d\\\",\\\"session_id\\\":\\\"s-42\\\"}\"}}";
    assertEquals(new ClientSession("claude:s-42", null),
        ClientSessions.of(name -> null, json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void bodyIdsComeNextInTheirOrder() {
    assertEquals(new ClientSession("session:a", null), of("{'session_id':'a','prompt_cache_key':'b'}"));
    assertEquals(new ClientSession("cache:b", "conversation:c"), of("{'prompt_cache_key':'b','conversation':'c'}"));
    assertEquals(new ClientSession("conversation:c", null), of("{'conversation':{'id':'c'}}"));
    assertEquals(new ClientSession("user:u", null), of("{'metadata':{'user_id':'u'}}"));
    assertEquals(new ClientSession("conversation:d", null), of("{'conversation_id':'d'}"));
  }

  @Test
  void anIdTooLongOrWithControlCharactersIsNone() {
    assertNull(of(Map.of("Session-Id", "x".repeat(257)), "{}"));
    assertNull(ClientSessions.of(name -> null, "{\"session_id\":\"a\\nb\"}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(new ClientSession("session:" + "x".repeat(256), null), of("{'session_id':'" + "x".repeat(256) + "'}"));
  }

  @Test
  void aConversationWithoutIdsIsNamedByItsOpeningFromItsSecondTurnOn() {
    String turn1 = "{'messages':[{'role':'system','content':'be brief'},{'role':'user','content':'hi'}]}";
    String turn2 = turn1.replace("]}", ",{'role':'assistant','content':'hello'},{'role':'user','content':'more'}]}");
    String turn3 = turn2.replace("]}", ",{'role':'assistant','content':'sure'},{'role':'user','content':'thanks'}]}");
    String otherAnswer = turn2.replace("hello", "hey");

    assertNull(of(turn1), "many conversations open alike: a first turn names none, so they are not piled on one key");
    assertEquals(of(turn2).id(), of(turn3).id());
    assertNull(of(turn2).earlierId());
    assertNotEquals(of(turn2).id(), of(otherAnswer).id());
  }

  @Test
  void everyDialectsOpeningNamesItsConversation() {
    ClientSession chat = of("{'messages':[{'role':'system','content':'S'},{'role':'user','content':'U'},"
        + "{'role':'assistant','content':'A'}]}");
    ClientSession anthropic = of("{'system':[{'type':'text','text':'S'}],"
        + "'messages':[{'role':'user','content':[{'type':'text','text':'U'}]},"
        + "{'role':'assistant','content':[{'type':'text','text':'A'}]}]}");
    ClientSession responses = of("{'instructions':'S','input':[{'type':'message','role':'user',"
        + "'content':[{'type':'input_text','text':'U'}]},{'type':'function_call','name':'f'},"
        + "{'type':'message','role':'assistant','content':[{'type':'output_text','text':'A'}]}]}");
    ClientSession gemini = of("{'systemInstruction':{'parts':[{'text':'S'}]},"
        + "'contents':[{'role':'user','parts':[{'text':'U'}]},{'role':'model','parts':[{'text':'A'}]}]}");

    assertEquals(chat.id(), anthropic.id(), "array contents read as their texts");
    assertEquals(anthropic.id(), responses.id(), "items other than messages passed over");
    assertEquals(anthropic.id(), gemini.id());
    assertNull(of("{'model':'m'}"), "nothing names it");
  }
}
