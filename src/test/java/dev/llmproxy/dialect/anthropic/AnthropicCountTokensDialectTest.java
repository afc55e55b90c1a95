package dev.llmproxy.dialect.anthropic;

import static dev.llmproxy.dialect.anthropic.MessagesRequestTranslatorTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmproxy.dialect.TranslationException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** count_tokens answers locally, and refuses what {@code /v1/messages} refuses, in the same words. */
class AnthropicCountTokensDialectTest {
  private final AnthropicCountTokensDialect dialect = new AnthropicCountTokensDialect();

  @Test
  void answersTheLocalCountForTheClientsModel() {
    String body = "{\"model\":\"claude-sonnet-4-5\",\"system\":\"Be brief.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello, world!\"}]}";
    var call = dialect.parse(body.getBytes(StandardCharsets.UTF_8));
    assertEquals("claude-sonnet-4-5", call.model());
    assertEquals("{\"input_tokens\":" + AnthropicTokenCount.count(json(body)) + "}",
        new String(call.localAnswer(), StandardCharsets.US_ASCII));
  }

  @Test
  void aPdfIsRefusedAsMessagesRefusesIt() {
    String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"Summarise\"},{\"type\":\"document\",\"source\":{\"type\":\"base64\","
        + "\"media_type\":\"application/pdf\",\"data\":\"JVBERi0=\"}}]}]}";
    TranslationException messages = assertThrows(TranslationException.class,
        () -> new AnthropicMessagesDialect().parse(body.getBytes(StandardCharsets.UTF_8)));
    TranslationException counted = assertThrows(TranslationException.class,
        () -> dialect.parse(body.getBytes(StandardCharsets.UTF_8)));
    assertEquals("messages[0].content[1]", counted.param());
    assertEquals(messages.getMessage(), counted.getMessage());
  }
}
