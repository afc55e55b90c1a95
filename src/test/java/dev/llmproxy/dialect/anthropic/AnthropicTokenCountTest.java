package dev.llmproxy.dialect.anthropic;

import static dev.llmproxy.dialect.anthropic.MessagesRequestTranslatorTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.dialect.TokenCounter;
import dev.llmproxy.dialect.TranslationException;
import org.junit.jupiter.api.Test;

/** Spec §6 and §9 bug 6: count_tokens counts system, tools and every block. */
class AnthropicTokenCountTest {
  private static final String HELLO = "{\"role\":\"user\",\"content\":\"Hello, world!\"}";
  private static final String TOOL = "{\"name\":\"get_weather\",\"description\":\"Current weather for a city\","
      + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
      + "\"required\":[\"city\"]}}";

  private static long count(String members) {
    return AnthropicTokenCount.count(json("{" + members + "}"));
  }

  @Test
  void aKnownStringGivesAKnownCount() {
    assertEquals(4, TokenCounter.count("Hello, world!"), "o200k_base: Hello , world !");
    // 3 to prime the reply + 3 for the message + 4 for its text.
    assertEquals(10, count("\"messages\":[" + HELLO + "]"));
  }

  @Test
  void theCountGrowsWithEachPart() {
    long messages = count("\"messages\":[" + HELLO + "]");
    long system = count("\"system\":\"You are a terse assistant.\",\"messages\":[" + HELLO + "]");
    long tools = count("\"system\":\"You are a terse assistant.\",\"messages\":[" + HELLO + "],"
        + "\"tools\":[" + TOOL + "]");
    long choice = count("\"system\":\"You are a terse assistant.\",\"messages\":[" + HELLO + "],"
        + "\"tools\":[" + TOOL + "],"
        + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_weather\"}");
    long more = count("\"system\":\"You are a terse assistant.\",\"messages\":[" + HELLO + ","
        + "{\"role\":\"assistant\",\"content\":\"Hi!\"}," + HELLO + "],\"tools\":[" + TOOL + "],"
        + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_weather\"}");
    assertTrue(messages < system && system < tools && tools < choice && choice < more,
        messages + " < " + system + " < " + tools + " < " + choice + " < " + more);
    assertEquals(3 + TokenCounter.count("You are a terse assistant."), system - messages);
  }

  @Test
  void systemBlocksCountWithoutTheBillingHeader() {
    long plain = count("\"system\":\"You are Claude Code.\",\"messages\":[" + HELLO + "]");
    long blocks = count("\"system\":[{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: cc_version=2.0.14\"},"
        + "{\"type\":\"text\",\"text\":\"You are Claude Code.\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
        + "\"messages\":[" + HELLO + "]");
    assertEquals(plain, blocks);
  }

  @Test
  void everyBlockKindCounts() {
    long base = count("\"messages\":[{\"role\":\"user\",\"content\":[]}]");
    assertEquals(TokenCounter.count("Hello, world!"),
        count("\"messages\":[{\"role\":\"user\",\"content\":["
            + "{\"type\":\"text\",\"text\":\"Hello, world!\"}]}]") - base);
    assertEquals(AnthropicTokenCount.IMAGE_TOKENS,
        count("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\","
        + "\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]}]") - base);
    assertEquals(TokenCounter.count("Let me think.") , count("\"messages\":[{\"role\":\"assistant\",\"content\":["
        + "{\"type\":\"thinking\",\"thinking\":\"Let me think.\",\"signature\":\"abc\"}]}]") - base);
    assertEquals(TokenCounter.count("Bash") + TokenCounter.count("{\"command\":\"ls -la\"}"),
        count("\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\","
            + "\"name\":\"Bash\","
            + "\"input\":{\"command\":\"ls -la\"}}]}]") - base);
    assertEquals(TokenCounter.count("total 0") + TokenCounter.count("drwxr-xr-x") + AnthropicTokenCount.IMAGE_TOKENS,
        count("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\","
            + "\"content\":["
            + "{\"type\":\"text\",\"text\":\"total 0\"},{\"type\":\"text\",\"text\":\"drwxr-xr-x\"},"
            + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x\"}}]}]}]") - base);
    assertEquals(TokenCounter.count("exit 1"),
        count("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
        + "\"tool_use_id\":\"t\",\"content\":\"exit 1\"}]}]") - base);
    assertEquals(TokenCounter.count("The notes"),
        count("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\","
        + "\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"The notes\"}}]}]") - base);
  }

  @Test
  void toolDefinitionsCountNameDescriptionAndSchema() {
    long without = count("\"messages\":[" + HELLO + "]");
    long with = count("\"messages\":[" + HELLO + "],\"tools\":[" + TOOL + "]");
    assertEquals(3 + TokenCounter.count("get_weather") + TokenCounter.count("Current weather for a city")
        + TokenCounter.count("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
        + "\"required\":[\"city\"]}"),
        with - without);
  }

  @Test
  void countTokensBodiesWithoutMessagesAreA400() {
    assertEquals("messages", assertThrows(TranslationException.class, () -> count("\"model\":\"m\"")).param());
    assertThrows(TranslationException.class, () -> AnthropicTokenCount.count(json("[]")));
  }
}
