package dev.llmproxy.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionChunksTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void aCompletionIsToldAsItsContentItsEndingAndItsUsage() throws Exception {
    List<ObjectNode> chunks = CompletionChunks.of(json("{'id':'c','object':'chat.completion','created':5,'model':'m',"
        + "'choices':[{'index':0,'message':{'role':'assistant','content':'Hi','reasoning_content':'hmm',"
        + "'tool_calls':[{'id':'t1','type':'function','function':{'name':'f','arguments':'{}'}}]},"
        + "'finish_reason':'tool_calls'}],'usage':{'prompt_tokens':3,'completion_tokens':1}}"));

    assertEquals(3, chunks.size());
    assertEquals(json("{'id':'c','object':'chat.completion.chunk','created':5,'model':'m','choices':[{'index':0,"
        + "'delta':{'role':'assistant','content':'Hi','reasoning_content':'hmm','tool_calls':[{'index':0,'id':'t1',"
        + "'type':'function','function':{'name':'f','arguments':'{}'}}]},'finish_reason':null}]}"), chunks.get(0));
    assertEquals("tool_calls", chunks.get(1).at("/choices/0/finish_reason").asText());
    assertEquals(0, chunks.get(2).get("choices").size());
    assertEquals(3, chunks.get(2).at("/usage/prompt_tokens").asInt());
  }

  @Test
  void gatheringTheChunksGivesTheAnswerBack() throws Exception {
    JsonNode answer = json("{'id':'c','object':'chat.completion','created':5,'model':'m','choices':[{'index':0,"
        + "'message':{'role':'assistant','content':'Hi'},'logprobs':null,'finish_reason':'stop'}],"
        + "'usage':{'prompt_tokens':3,'completion_tokens':1,'total_tokens':4}}");
    GatheredCompletion gathered = new GatheredCompletion();
    CompletionChunks.of(answer).forEach(gathered::add);

    assertEquals(answer, gathered.toJson());
  }

  @Test
  void aLegacyCompletionKeepsItsText() throws Exception {
    List<ObjectNode> chunks = CompletionChunks.of(json("{'id':'t','object':'text_completion','choices':[{'index':0,"
        + "'text':'Once upon','finish_reason':'length'}]}"));

    assertEquals("text_completion", chunks.get(0).get("object").asText());
    assertEquals("Once upon", chunks.get(0).at("/choices/0/text").asText());
    assertEquals("length", chunks.get(1).at("/choices/0/finish_reason").asText());
    assertEquals(2, chunks.size());
  }

  @Test
  void anAnswerWithoutChoicesCannotBeTold() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> CompletionChunks.of(json("{'id':'x'}")));
  }
}
