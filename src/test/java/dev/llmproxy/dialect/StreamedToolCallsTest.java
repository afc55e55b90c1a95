package dev.llmproxy.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.dialect.StreamedToolCalls.Call;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamedToolCallsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void fragmentsJoinTheCallWithTheirIndexInFirstSeenOrder() throws Exception {
    StreamedToolCalls calls = new StreamedToolCalls();
    Call second = calls.add(1, json("{\"index\":1,\"id\":\"call_b\",\"function\":{\"name\":\"b\",\"arguments\":\"{\"}}"));
    Call first = calls.add(0, json("{\"index\":0,\"id\":\"call_a\",\"function\":{\"name\":\"a\",\"arguments\":\"{}\"}}"));
    assertSame(second, calls.add(1, json("{\"index\":1,\"function\":{\"arguments\":\"}\"}}")));

    assertEquals(List.of(second, first), calls.calls());
    assertEquals("{}", second.arguments());
    assertEquals("call_b", second.id());
    assertEquals("b", second.name());
  }

  @Test
  void theIndexIsThePositionWhenTheFragmentHasNone() throws Exception {
    assertEquals(3, StreamedToolCalls.upstreamIndex(json("{\"function\":{}}"), 3));
    assertEquals(3, StreamedToolCalls.upstreamIndex(json("{\"index\":\"x\"}"), 3));
    assertEquals(0, StreamedToolCalls.upstreamIndex(json("{\"index\":0}"), 3));
  }

  @Test
  void theFirstIdAndNameStayAndEmptyOnesAreNoNews() throws Exception {
    StreamedToolCalls calls = new StreamedToolCalls();
    Call call = calls.add(0, json("{\"id\":\"\",\"function\":{\"name\":\"\"}}"));
    assertNull(call.id());
    assertNull(call.name());
    assertEquals("tool_0", call.nameOrPlaceholder());
    calls.add(0, json("{\"id\":\"call_1\",\"function\":{\"name\":\"get_weather\"}}"));
    calls.add(0, json("{\"id\":\"call_2\",\"function\":{\"name\":\"rename\"}}"));
    call.identify("made_up", "placeholder");
    assertEquals("call_1", call.id());
    assertEquals("get_weather", call.nameOrPlaceholder());
  }

  @Test
  void newArgumentsAreHandedOutOnce() throws Exception {
    StreamedToolCalls calls = new StreamedToolCalls();
    Call call = calls.add(0, json("{\"function\":{\"arguments\":\"{\\\"city\\\":\"}}"));
    assertEquals("{\"city\":", call.takeNewArguments());
    assertEquals("", call.takeNewArguments());
    calls.add(0, json("{\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}"));
    assertEquals("\"Paris\"}", call.takeNewArguments());
    assertEquals("{\"city\":\"Paris\"}", call.arguments());
  }
}
