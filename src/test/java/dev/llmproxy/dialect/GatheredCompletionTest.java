package dev.llmproxy.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class GatheredCompletionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode gathered(String... chunks) throws Exception {
    GatheredCompletion completion = new GatheredCompletion();
    for (String chunk : chunks) {
      completion.add(JSON.readTree(chunk.replace('\'', '"')));
    }
    return JSON.readTree(JSON.writeValueAsString(completion.toJson()));
  }

  @Test
  void aChatStreamBecomesTheCompletionItStandsFor() throws Exception {
    JsonNode answer = gathered(
        "{'id':'c1','object':'chat.completion.chunk','created':7,'model':'m','system_fingerprint':'fp',"
            + "'choices':[{'index':0,'delta':{'role':'assistant','reasoning_content':'Let me'}}]}",
        "{'id':'c1','object':'chat.completion.chunk','created':7,'model':'m',"
            + "'choices':[{'index':0,'delta':{'role':'assistant','reasoning_content':' think.'}}]}",
        "{'id':'c1','object':'chat.completion.chunk','created':7,'model':'m',"
            + "'choices':[{'index':0,'delta':{'content':'Hel'},'finish_reason':null}]}",
        "{'id':'c1','object':'chat.completion.chunk','created':7,'model':'m',"
            + "'choices':[{'index':0,'delta':{'content':'lo \u00e9\ud83d\ude00'},'finish_reason':'stop'}]}",
        "{'id':'c1','object':'chat.completion.chunk','created':7,'model':'m','choices':[],"
            + "'usage':{'prompt_tokens':5,'completion_tokens':3,'total_tokens':8}}");

    assertEquals(JSON.readTree(("{'id':'c1','object':'chat.completion','created':7,'model':'m','choices':[{'index':0,"
        + "'message':{'role':'assistant','content':'Hello \u00e9\ud83d\ude00','reasoning_content':'Let me think.'},"
        + "'logprobs':null,'finish_reason':'stop'}],"
        + "'usage':{'prompt_tokens':5,'completion_tokens':3,'total_tokens':8},'system_fingerprint':'fp'}")
        .replace('\'', '"')), answer);
  }

  @Test
  void toolCallsInPiecesBecomeWholeCallsAndTheContentIsNull() throws Exception {
    JsonNode answer = gathered(
        "{'id':'c2','model':'m','choices':[{'index':0,'delta':{'role':'assistant','tool_calls':["
            + "{'index':0,'id':'call_a','type':'function','function':{'name':'read','arguments':''}},"
            + "{'index':1,'id':'call_b','type':'function','function':{'name':'grep','arguments':'{\\'q'}}]}}]}",
        "{'id':'c2','model':'m','choices':[{'index':0,'delta':{'tool_calls':["
            + "{'index':0,'function':{'arguments':'{\\'path\\':'}}]}}]}",
        "{'id':'c2','model':'m','choices':[{'index':0,'delta':{'tool_calls':["
            + "{'index':1,'function':{'arguments':'\\':1}'}},{'index':0,'function':{'arguments':'\\'a.txt\\'}'}}]},"
            + "'finish_reason':'tool_calls'}]}");

    JsonNode message = answer.at("/choices/0/message");
    assertEquals("tool_calls", answer.at("/choices/0/finish_reason").asText());
    assertEquals(true, message.get("content").isNull(), message.toString());
    assertEquals(2, message.get("tool_calls").size());
    assertEquals("call_a", message.at("/tool_calls/0/id").asText());
    assertEquals("read", message.at("/tool_calls/0/function/name").asText());
    assertEquals("{\"path\":\"a.txt\"}", message.at("/tool_calls/0/function/arguments").asText());
    assertEquals("{\"q\":1}", message.at("/tool_calls/1/function/arguments").asText());
    assertEquals("function", message.at("/tool_calls/1/type").asText());
  }

  @Test
  void severalChoicesKeepTheirOwnTextAndLogprobsAreAppended() throws Exception {
    JsonNode answer = gathered(
        "{'id':'c3','choices':[{'index':1,'delta':{'content':'B'},'logprobs':{'content':[{'token':'B'}]}},"
            + "{'index':0,'delta':{'content':'A'},'logprobs':{'content':[{'token':'A'}]}}]}",
        "{'id':'c3','choices':[{'index':0,'delta':{'content':'a'},'logprobs':{'content':[{'token':'a'}]},"
            + "'finish_reason':'length'},{'index':1,'delta':{'content':'b'},'finish_reason':'stop'}]}");

    assertEquals("Aa", answer.at("/choices/0/message/content").asText());
    assertEquals("Bb", answer.at("/choices/1/message/content").asText());
    assertEquals(2, answer.at("/choices/0/logprobs/content").size());
    assertEquals("length", answer.at("/choices/0/finish_reason").asText());
    assertEquals("stop", answer.at("/choices/1/finish_reason").asText());
  }

  @Test
  void aLegacyCompletionsStreamBecomesATextCompletion() throws Exception {
    JsonNode answer = gathered(
        "{'id':'t1','object':'text_completion','created':3,'model':'m','choices':[{'index':0,'text':'Once','finish_reason':null}]}",
        "{'id':'t1','object':'text_completion','created':3,'model':'m','choices':[{'index':0,'text':' upon','finish_reason':'length'}]}");

    assertEquals("text_completion", answer.get("object").asText());
    assertEquals("Once upon", answer.at("/choices/0/text").asText());
    assertEquals("length", answer.at("/choices/0/finish_reason").asText());
    assertEquals(true, answer.at("/choices/0/message").isMissingNode(), answer.toString());
  }

  @Test
  void anAnswerWithoutContentHasAnEmptyOneAndTheAssistantsRole() throws Exception {
    JsonNode answer = gathered("{'id':'c4','choices':[{'index':0,'delta':{},'finish_reason':'stop'}]}");

    assertEquals("", answer.at("/choices/0/message/content").asText("missing"));
    assertEquals("assistant", answer.at("/choices/0/message/role").asText());
    assertEquals("chat.completion", answer.get("object").asText());
  }
}
