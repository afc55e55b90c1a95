package dev.llmproxy.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmproxy.testing.AnthropicEventGrammar;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden tests on realistic fixtures ({@code src/test/resources/anthropic}): a Claude Code request and
 * the chat body it becomes; chunk streams as OpenAI, Kimi (through vLLM), DeepSeek, vLLM and OpenRouter
 * send them, and the exact events each becomes; two non-streamed answers and their Messages. After an
 * intended change of output, run once with {@code -Danthropic.golden.write=true} to rewrite the expected
 * files, and review the diff.
 */
class AnthropicFixturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final boolean WRITE = Boolean.getBoolean("anthropic.golden.write");
  private static final Path RESOURCES = Path.of("src/test/resources/anthropic");
  /** The context of the Claude Code request: its tools renamed one MCP tool. */
  private static final MessagesContext CONTEXT = new MessagesContext("msg_01GoldenFixture00000000", "claude-sonnet-4-5",
      2100, MessagesResponseTranslatorTest.builderFor("mcp__browser__navigate.to"));

  private static String resource(String name) {
    try (InputStream in = AnthropicFixturesTest.class.getResourceAsStream("/anthropic/" + name)) {
      if (in == null) {
        throw new AssertionError("missing fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compares with the golden file, or rewrites it when asked to. */
  private static void assertGolden(String name, String actual) {
    if (WRITE) {
      try {
        Files.writeString(RESOURCES.resolve(name), actual);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    assertEquals(resource(name), actual, name);
  }

  @Test
  void claudeCodeRequestBecomesTheExpectedChatBody() {
    MessagesRequest request = MessagesRequestTranslator.translate(json(resource("claude-code-request.json")));
    assertEquals(json(resource("claude-code-request.chat.json")), request.chatBody());
    assertTrue(request.stream());
    assertEquals(List.of("web_search"), request.droppedTools());
    assertEquals(CONTEXT.toolNames().renamed(), request.context().toolNames().renamed());
    assertEquals(Map.of("mcp__browser__navigate_to", "mcp__browser__navigate.to"),
        request.context().toolNames().renamed());
    // The estimate counts system, tools and every message: a few thousand characters of each.
    assertTrue(request.context().inputTokens() > 700, "estimate " + request.context().inputTokens());
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai-parallel-tools", "kimi-interleaved-eof", "deepseek-reasoning",
      "vllm-content-with-empty-tool-calls", "tool-call-first-without-role"})
  void streamFixturesBecomeTheGoldenEvents(String name) {
    RecordingSink sink = new RecordingSink();
    MessagesStreamTranslator translator = new MessagesStreamTranslator(CONTEXT);
    for (String line : resource("stream/" + name + ".sse").split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
        translator.onChunk(json(line.substring("data: ".length())), sink);
      }
    }
    // With [DONE] or at a clean end of file: the relay calls onEnd either way.
    translator.onEnd(sink);
    AnthropicEventGrammar.check(sink.events());
    assertGolden("stream/" + name + ".events", sink.sse());
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai-tool-calls", "deepseek-reasoner"})
  void answerFixturesBecomeTheGoldenMessages(String name) throws IOException {
    byte[] message = MessagesResponseTranslator.toMessage(json(resource("response/" + name + ".json")), CONTEXT);
    String pretty =
        JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(JSON.readTree(message)) + "\n";
    assertGolden("response/" + name + ".message.json", pretty);
  }
}
