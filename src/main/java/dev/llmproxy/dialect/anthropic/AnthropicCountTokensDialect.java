package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.ClientCall;
import dev.llmproxy.dialect.ClientDialect;
import dev.llmproxy.dialect.ErrorResponse;
import dev.llmproxy.dialect.JsonRequests;
import dev.llmproxy.dialect.LocalCall;
import dev.llmproxy.error.ClientError;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /v1/messages/count_tokens}, answered by the gateway itself with a local count
 * ({@link AnthropicTokenCount}): chat-completions upstreams have nothing to ask, and Claude Code calls this
 * every turn. The model is still resolved, so an unknown one is a 404 as for {@code /v1/messages}; and the
 * body is translated as {@code /v1/messages} would translate it, so what that refuses (a PDF, say) is refused
 * here with the same 400 rather than counted as if it could be sent. Stateless.
 */
public final class AnthropicCountTokensDialect implements ClientDialect {

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public ClientCall parse(byte[] body) {
    JsonNode tree = JsonRequests.parseObject(body);
    String model = JsonRequests.model(tree.get("model"));
    // The translation counts the tokens too (its context's estimate): one count, not two.
    long tokens = MessagesRequestTranslator.translate(tree).context().inputTokens();
    byte[] answer = ("{\"input_tokens\":" + tokens + "}").getBytes(StandardCharsets.US_ASCII);
    return new LocalCall(model, answer);
  }

  @Override
  public ErrorResponse error(ClientError error) {
    return AnthropicMessagesDialect.errorResponse(error);
  }
}
